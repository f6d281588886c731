"""Times save -> reload with a running `gazette serve`: appends a line to ARTICLE RUNS times and
waits each time for the `reload` event on /__gazette/events; the article is restored at the end.
Saves are PAUSE seconds apart (0.5 when not given): give the search index's background build
time to finish to time a reload it does not compete with.

    target/release/gazette serve --root DIR --port 18111 &
    python3 examples/reload_time.py 18111 DIR/content/<section>/<file>.md 8 [PAUSE]
"""
import http.client
import statistics
import sys
import time

port, article, runs = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
pause = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
original = open(article).read()
conn = http.client.HTTPConnection("127.0.0.1", port)
conn.request("GET", "/__gazette/events")
events = conn.getresponse()


def next_event():
    name = None
    while True:
        line = events.fp.readline().decode()
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        if line.strip() == "" and name:
            return name


times = []
try:
    for n in range(runs):
        time.sleep(pause)
        start = time.perf_counter()
        with open(article, "w") as f:
            f.write(original + f"\nOne more line {n}.\n")
        while next_event() != "reload":
            pass
        times.append((time.perf_counter() - start) * 1000)
finally:
    with open(article, "w") as f:
        f.write(original)
print(f"save to reload: median {statistics.median(times):.0f} ms, "
      f"min {min(times):.0f}, max {max(times):.0f} ({runs} saves)")
