//! The protobuf messages of Anki's packages and collections that recall
//! reads, declared for `prost` with the field numbers of Anki's own
//! `.proto` files (`import_export.proto`, `notetypes.proto`). Only the
//! fields recall uses are declared; prost skips the others.

/// `anki.import_export.PackageMetadata`: the `meta` entry of a package.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PackageMetadata {
    /// 1: legacy `collection.anki2`, 2: legacy `collection.anki21`,
    /// 3: `collection.anki21b` (zstd) with zstd media.
    #[prost(int32, tag = "1")]
    pub version: i32,
}

/// `anki.import_export.MediaEntries`: the `media` entry of a current package
/// (zstd-compressed). Entry `i` of the zip holds media file `i`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MediaEntries {
    #[prost(message, repeated, tag = "1")]
    pub entries: Vec<MediaEntry>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MediaEntry {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(uint32, tag = "2")]
    pub size: u32,
    #[prost(bytes = "vec", tag = "3")]
    pub sha1: Vec<u8>,
    /// The zip entry's name, when it is not the entry's index.
    #[prost(uint32, optional, tag = "255")]
    pub legacy_zip_filename: Option<u32>,
}

/// `anki.notetypes.Notetype.Config`: the `config` column of `notetypes`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NotetypeConfig {
    /// 0: normal, 1: cloze.
    #[prost(int32, tag = "1")]
    pub kind: i32,
    /// `OriginalStockKind`: 1 Basic, 2 and reversed, 3 optional reversed,
    /// 4 type in the answer, 5 Cloze, 6 Image Occlusion; 0 none.
    #[prost(int32, tag = "9")]
    pub original_stock_kind: i32,
}

/// `anki.notetypes.Notetype.Template.Config`: the `config` column of
/// `templates`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TemplateConfig {
    #[prost(string, tag = "1")]
    pub q_format: String,
    #[prost(string, tag = "2")]
    pub a_format: String,
}
