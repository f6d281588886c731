//! Text files as the pipeline reads them, whatever their BOM and line ends.

use std::path::Path;

use crate::error::{Diagnostic, Position};

/// The bytes of content file `file` as the pipeline reads them: UTF-8 text without BOM and with
/// `\n` line ends; an error at the first byte that is not UTF-8. A lone `\r` ends a line too, as
/// it does for YAML and CommonMark, so that lines are counted alike everywhere.
pub fn decode(file: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        Diagnostic::error(file, "the file is not valid UTF-8", "save it as UTF-8")
            .at(Some(Position::new(line, column)))
    })?;
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}
