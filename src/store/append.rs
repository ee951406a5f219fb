//! The one way recall adds to its CSV logs (`reviews.csv`, `quizzes.csv`):
//! a whole line in a single write, then `sync_data()`, after cutting off a
//! torn last line left by a crash. Shared so both logs stay equally safe.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};

/// If the file (of length `len`) ends in a line without its newline, a
/// write was cut off by a crash; appending after it would glue two records
/// into one garbage line. Cuts it off (it was never acknowledged: that
/// follows the sync) and returns the new length.
pub(super) fn cut_torn_tail(file: &mut File, len: u64) -> std::io::Result<u64> {
    if len == 0 || last_byte(file, len)? == b'\n' {
        return Ok(len);
    }
    let keep = end_of_last_complete_line(file, len)?;
    file.set_len(keep)?;
    file.sync_data()?;
    Ok(keep)
}

/// Appends `line` (which ends in a newline) to a file of length `len`,
/// opened for appending, with `header` first if the file is empty; one
/// write, then a sync. Returns where the line starts.
pub(super) fn append_line(
    file: &mut File,
    len: u64,
    header: &str,
    line: &str,
) -> std::io::Result<u64> {
    let mut bytes = String::with_capacity(header.len() + line.len() + 1);
    if len == 0 {
        bytes.push_str(header);
        bytes.push('\n');
    }
    let start = len + bytes.len() as u64;
    bytes.push_str(line);
    file.write_all(bytes.as_bytes())?;
    file.sync_data()?;
    Ok(start)
}

fn last_byte(file: &mut File, len: u64) -> std::io::Result<u8> {
    let mut byte = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut byte)?;
    Ok(byte[0])
}

/// The length of the file up to and including its last newline (0 if none),
/// scanning backwards in blocks so a huge torn line is cheap.
fn end_of_last_complete_line(file: &mut File, len: u64) -> std::io::Result<u64> {
    const BLOCK: u64 = 64 * 1024;
    let mut end = len;
    let mut buf = vec![0u8; BLOCK as usize];
    while end > 0 {
        let start = end.saturating_sub(BLOCK);
        let chunk = &mut buf[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        if let Some(i) = chunk.iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}
