//! Changing one setting in the user's `config.toml` text with `toml_edit`,
//! so comments, order and layout stay as they were. The caller checks the
//! result parses and replaces the file atomically.

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::schedule::Parameters;

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("the config is not valid TOML: {0}")]
    Toml(#[from] toml_edit::TomlError),
    #[error("the config has no preset `{0}`")]
    NoPreset(String),
    #[error("`{0}` in the config is not a table")]
    NotATable(String),
}

/// `text` with `fsrs_parameters` set to `parameters`: at the top level, or
/// in `[presets.NAME]` when `preset` is given (which must exist). An
/// existing value is replaced where it is, keeping the comments around it;
/// otherwise the key is added to that table.
pub fn with_parameters(
    text: &str,
    preset: Option<&str>,
    parameters: &Parameters,
) -> Result<String, EditError> {
    let mut doc: DocumentMut = text.parse()?;
    let table: &mut Table = match preset {
        None => doc.as_table_mut(),
        Some(name) => doc
            .get_mut("presets")
            .and_then(Item::as_table_like_mut)
            .ok_or_else(|| EditError::NoPreset(name.to_owned()))?
            .get_mut(name)
            .ok_or_else(|| EditError::NoPreset(name.to_owned()))?
            .as_table_mut()
            .ok_or_else(|| EditError::NotATable(format!("presets.{name}")))?,
    };
    let mut array: Array = parameters.as_slice().iter().copied().collect();
    array.fmt();
    let mut value = Value::Array(array);
    match table.get_mut("fsrs_parameters") {
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        _ => {
            table.insert("fsrs_parameters", Item::Value(value));
        }
    }
    Ok(doc.to_string())
}
