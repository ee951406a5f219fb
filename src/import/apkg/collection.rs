//! An Anki collection database, read with SQLite (`rusqlite`, bundled):
//! opened read-only from the package's private copy, checked with
//! `quick_check` first, with the `unicase` collation Anki's schema uses
//! registered and the schema treated as untrusted (no functions from it).
//!
//! Schema 11 keeps note types and decks as JSON in the `col` table;
//! schemas 15 to 18 keep them in tables of their own (`notetypes`,
//! `fields`, `templates`, `decks`) with protobuf `config` columns.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use serde::Deserialize;

use super::ApkgError;
use super::proto::{NotetypeConfig, TemplateConfig};
use crate::import::notetype::{Kind, NoteType, Stock, Template};

/// A deck of the collection. Names use `::` between levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiDeck {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub guid: String,
    pub notetype: i64,
    pub tags: Vec<String>,
    /// The fields, split on 0x1f, in the note type's order.
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnkiCard {
    pub id: i64,
    pub note: i64,
    /// Its deck: the home deck (`odid`) of a card in a filtered deck.
    pub deck: i64,
    pub ord: u32,
    /// -1 suspended, -2 and -3 buried.
    pub queue: i64,
    /// When the card was last changed (suspended, moved, ...), in epoch
    /// seconds (`mod`).
    pub modified: i64,
}

/// One revlog row. `id` is the review's instant in epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevlogEntry {
    pub id: i64,
    pub card: i64,
    /// 1 Again ... 4 Easy; 0 for entries without a rating.
    pub ease: i64,
    pub factor: i64,
    /// Milliseconds spent on the answer.
    pub time: i64,
    /// 0 learn, 1 review, 2 relearn, 3 filtered (cram), 4 manual,
    /// 5 rescheduled.
    pub kind: i64,
}

/// Everything recall reads from a collection.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    pub schema: i64,
    pub note_types: Vec<NoteType>,
    pub decks: Vec<AnkiDeck>,
    pub notes: Vec<Note>,
    pub cards: Vec<AnkiCard>,
    /// Sorted by id, so by time.
    pub revlog: Vec<RevlogEntry>,
}

/// The oldest and newest schemas recall reads.
const SCHEMA_JSON: i64 = 11;
const SCHEMA_TABLES: std::ops::RangeInclusive<i64> = 15..=18;

/// Opens, checks and reads the database at `path` (a private copy).
pub fn read(path: &Path, origin: &str) -> Result<Collection, ApkgError> {
    let corrupt = |error: rusqlite::Error| ApkgError::Corrupt {
        origin: origin.to_owned(),
        detail: error.to_string(),
    };
    let db = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(corrupt)?;
    // The schema comes from the package: let it call no functions, and
    // change nothing in the file.
    db.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA,
        false,
    )
    .map_err(corrupt)?;
    db.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .map_err(corrupt)?;
    db.create_collation("unicase", |a, b| {
        unicase::UniCase::new(a).cmp(&unicase::UniCase::new(b))
    })
    .map_err(corrupt)?;
    let check: String = db
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .map_err(corrupt)?;
    if check != "ok" {
        return Err(ApkgError::Corrupt {
            origin: origin.to_owned(),
            detail: format!("quick_check: {check}"),
        });
    }
    let schema: i64 = db
        .query_row("SELECT ver FROM col", [], |row| row.get(0))
        .map_err(corrupt)?;
    let mut collection = if schema == SCHEMA_JSON {
        read_json_schema(&db, origin)?
    } else if SCHEMA_TABLES.contains(&schema) {
        read_table_schema(&db).map_err(corrupt)?
    } else {
        return Err(ApkgError::UnknownSchema {
            origin: origin.to_owned(),
            version: schema,
        });
    };
    collection.schema = schema;
    read_notes_cards_revlog(&db, &mut collection).map_err(corrupt)?;
    Ok(collection)
}

#[derive(Deserialize)]
struct JsonNoteType {
    id: i64,
    name: String,
    #[serde(rename = "type", default)]
    kind: i64,
    #[serde(rename = "originalStockKind", default)]
    original_stock_kind: i64,
    flds: Vec<JsonField>,
    tmpls: Vec<JsonTemplate>,
}

#[derive(Deserialize)]
struct JsonField {
    name: String,
    ord: i64,
}

#[derive(Deserialize)]
struct JsonTemplate {
    name: String,
    ord: i64,
    qfmt: String,
    afmt: String,
}

#[derive(Deserialize)]
struct JsonDeck {
    id: i64,
    name: String,
}

fn read_json_schema(db: &Connection, origin: &str) -> Result<Collection, ApkgError> {
    let (models, decks): (String, String) = db
        .query_row("SELECT models, decks FROM col", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .map_err(|error| ApkgError::Corrupt {
            origin: origin.to_owned(),
            detail: error.to_string(),
        })?;
    let malformed = |what, error: serde_json::Error| ApkgError::Malformed {
        origin: origin.to_owned(),
        what,
        detail: error.to_string(),
    };
    let models: HashMap<String, JsonNoteType> =
        serde_json::from_str(&models).map_err(|e| malformed("note types (col.models)", e))?;
    let decks: HashMap<String, JsonDeck> =
        serde_json::from_str(&decks).map_err(|e| malformed("decks (col.decks)", e))?;
    let mut note_types: Vec<NoteType> = models
        .into_values()
        .map(|mut model| {
            model.flds.sort_by_key(|field| field.ord);
            model.tmpls.sort_by_key(|template| template.ord);
            NoteType {
                id: model.id,
                name: model.name,
                kind: if model.kind == 1 {
                    Kind::Cloze
                } else {
                    Kind::Normal
                },
                stock: Stock::from_anki(model.original_stock_kind),
                fields: model.flds.into_iter().map(|field| field.name).collect(),
                templates: model
                    .tmpls
                    .into_iter()
                    .map(|t| Template {
                        name: t.name,
                        question: t.qfmt,
                        answer: t.afmt,
                    })
                    .collect(),
            }
        })
        .collect();
    note_types.sort_by_key(|note_type| note_type.id);
    let mut decks: Vec<AnkiDeck> = decks
        .into_values()
        .map(|deck| AnkiDeck {
            id: deck.id,
            name: deck.name,
        })
        .collect();
    decks.sort_by_key(|deck| deck.id);
    Ok(Collection {
        note_types,
        decks,
        ..Collection::default()
    })
}

fn read_table_schema(db: &Connection) -> rusqlite::Result<Collection> {
    let mut fields: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    let mut statement = db.prepare("SELECT ntid, ord, name FROM fields")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    for row in rows {
        let (notetype, ord, name): (i64, i64, String) = row?;
        fields.entry(notetype).or_default().push((ord, name));
    }
    let mut templates: HashMap<i64, Vec<(i64, Template)>> = HashMap::new();
    let mut statement = db.prepare("SELECT ntid, ord, name, config FROM templates")?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, Vec<u8>>(3)?,
        ))
    })?;
    for row in rows {
        let (notetype, ord, name, config) = row?;
        let config =
            <TemplateConfig as prost::Message>::decode(config.as_slice()).unwrap_or_default();
        templates.entry(notetype).or_default().push((
            ord,
            Template {
                name,
                question: config.q_format,
                answer: config.a_format,
            },
        ));
    }
    let mut note_types = Vec::new();
    let mut statement = db.prepare("SELECT id, name, config FROM notetypes ORDER BY id")?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Vec<u8>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, name, config) = row?;
        let config =
            <NotetypeConfig as prost::Message>::decode(config.as_slice()).unwrap_or_default();
        let mut own_fields = fields.remove(&id).unwrap_or_default();
        own_fields.sort_by_key(|(ord, _)| *ord);
        let mut own_templates = templates.remove(&id).unwrap_or_default();
        own_templates.sort_by_key(|(ord, _)| *ord);
        note_types.push(NoteType {
            id,
            name,
            kind: if config.kind == 1 {
                Kind::Cloze
            } else {
                Kind::Normal
            },
            stock: Stock::from_anki(i64::from(config.original_stock_kind)),
            fields: own_fields.into_iter().map(|(_, name)| name).collect(),
            templates: own_templates.into_iter().map(|(_, t)| t).collect(),
        });
    }
    let mut decks = Vec::new();
    let mut statement = db.prepare("SELECT id, name FROM decks ORDER BY id")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, name) = row?;
        // Schema 18 separates levels with 0x1f.
        decks.push(AnkiDeck {
            id,
            name: name.replace('\u{1f}', "::"),
        });
    }
    Ok(Collection {
        note_types,
        decks,
        ..Collection::default()
    })
}

fn read_notes_cards_revlog(db: &Connection, collection: &mut Collection) -> rusqlite::Result<()> {
    let mut statement = db.prepare("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")?;
    let rows = statement.query_map([], |row| {
        let tags: String = row.get(3)?;
        let fields: String = row.get(4)?;
        Ok(Note {
            id: row.get(0)?,
            guid: row.get(1)?,
            notetype: row.get(2)?,
            tags: tags.split_whitespace().map(str::to_owned).collect(),
            fields: fields.split('\u{1f}').map(str::to_owned).collect(),
        })
    })?;
    collection.notes = rows.collect::<rusqlite::Result<_>>()?;
    let mut statement =
        db.prepare("SELECT id, nid, did, odid, ord, queue, mod FROM cards ORDER BY nid, ord")?;
    let rows = statement.query_map([], |row| {
        let did: i64 = row.get(2)?;
        let odid: i64 = row.get(3)?;
        Ok(AnkiCard {
            id: row.get(0)?,
            note: row.get(1)?,
            deck: if odid != 0 { odid } else { did },
            ord: row.get(4)?,
            queue: row.get(5)?,
            modified: row.get(6)?,
        })
    })?;
    collection.cards = rows.collect::<rusqlite::Result<_>>()?;
    let mut statement =
        db.prepare("SELECT id, cid, ease, factor, time, type FROM revlog ORDER BY id")?;
    let rows = statement.query_map([], |row| {
        Ok(RevlogEntry {
            id: row.get(0)?,
            card: row.get(1)?,
            ease: row.get(2)?,
            factor: row.get(3)?,
            time: row.get(4)?,
            kind: row.get(5)?,
        })
    })?;
    collection.revlog = rows.collect::<rusqlite::Result<_>>()?;
    Ok(())
}
