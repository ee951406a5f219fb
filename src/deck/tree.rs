//! Decks as a tree: `geo.capitals` sits under `geo`, as Anki's
//! `Geo::Capitals` sits under `Geo`. A level that no deck of its own holds
//! (`geo` when only `geo.capitals` and `geo.rivers` exist) is still a node,
//! so its children have a parent to fold into.
//!
//! Pure: deck ids and names in, rows to show out. Which nodes are collapsed
//! is the caller's state, by node path.

use std::collections::{BTreeMap, BTreeSet};

use super::Deck;

/// A row of the flattened tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    /// The node's path: its deck's id, or the id prefix it stands for.
    pub path: String,
    /// What to show: the last level of the deck's name.
    pub label: String,
    /// The full name (the deck's, or the path for a level without a deck).
    pub name: String,
    /// 0 for a top-level deck.
    pub depth: usize,
    /// The node's own deck, by index into the list given.
    pub deck: Option<usize>,
    /// Its own deck and every deck under it, by index.
    pub subtree: Vec<usize>,
    /// Whether it has children, and whether they are hidden.
    pub children: Children,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Children {
    None,
    Shown,
    Collapsed,
}

#[derive(Debug, Default)]
struct Node {
    deck: Option<usize>,
    children: BTreeMap<String, Node>,
}

/// The rows to show for `decks`, depth first, siblings in id order, the
/// children of collapsed paths hidden.
pub fn rows(decks: &[&Deck], collapsed: &BTreeSet<String>) -> Vec<TreeRow> {
    let mut root = Node::default();
    for (index, deck) in decks.iter().enumerate() {
        let mut node = &mut root;
        for part in deck.id.as_str().split('.') {
            node = node.children.entry(part.to_owned()).or_default();
        }
        node.deck = Some(index);
    }
    let mut out = Vec::new();
    for (part, node) in &root.children {
        flatten(decks, node, part, part, 0, collapsed, &mut out);
    }
    out
}

fn flatten(
    decks: &[&Deck],
    node: &Node,
    part: &str,
    path: &str,
    depth: usize,
    collapsed: &BTreeSet<String>,
    out: &mut Vec<TreeRow>,
) {
    let mut subtree = Vec::new();
    collect(node, &mut subtree);
    let (label, name) = match node.deck {
        Some(index) => {
            let name = decks[index].name.clone();
            let levels = name.split("::").count();
            let label = if levels == depth + 1 {
                name.rsplit("::").next().unwrap_or(&name).trim().to_owned()
            } else if depth == 0 {
                name.clone()
            } else {
                part.to_owned()
            };
            (label, name)
        }
        None => {
            let label = level_name(decks, &subtree, depth).unwrap_or_else(|| part.to_owned());
            (label, path.to_owned())
        }
    };
    let children = match (node.children.is_empty(), collapsed.contains(path)) {
        (true, _) => Children::None,
        (false, true) => Children::Collapsed,
        (false, false) => Children::Shown,
    };
    out.push(TreeRow {
        path: path.to_owned(),
        label,
        name,
        depth,
        deck: node.deck,
        subtree,
        children,
    });
    if children == Children::Shown {
        for (child, child_node) in &node.children {
            let child_path = format!("{path}.{child}");
            flatten(
                decks,
                child_node,
                child,
                &child_path,
                depth + 1,
                collapsed,
                out,
            );
        }
    }
}

/// A level without a deck takes its name from a descendant's name
/// (`Geo::Capitals` names level 0 `Geo`), when the levels line up.
fn level_name(decks: &[&Deck], subtree: &[usize], depth: usize) -> Option<String> {
    subtree.iter().find_map(|&index| {
        let levels: Vec<&str> = decks[index].name.split("::").collect();
        let id_levels = decks[index].id.as_str().split('.').count();
        (levels.len() == id_levels)
            .then(|| levels.get(depth).map(|level| level.trim().to_owned()))
            .flatten()
    })
}

fn collect(node: &Node, out: &mut Vec<usize>) {
    out.extend(node.deck);
    for child in node.children.values() {
        collect(child, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::DeckId;

    fn deck(id: &str, name: &str) -> Deck {
        Deck::new(DeckId::new(id).unwrap(), name, "", Vec::new()).unwrap()
    }

    fn shown(rows: &[TreeRow]) -> Vec<String> {
        rows.iter()
            .map(|row| format!("{}{} {:?}", "  ".repeat(row.depth), row.label, row.subtree))
            .collect()
    }

    #[test]
    fn decks_nest_by_id_and_levels_without_a_deck_get_a_row() {
        let decks = [
            deck("geo.capitals", "Geo::Capitals"),
            deck("spanish", "Spanish"),
            deck("geo.capitals.asia", "Geo::Capitals::Asia"),
            deck("geo.rivers", "Geo::Rivers"),
        ];
        let refs: Vec<&Deck> = decks.iter().collect();
        let rows = rows(&refs, &BTreeSet::new());
        assert_eq!(
            shown(&rows),
            [
                "Geo [0, 2, 3]",
                "  Capitals [0, 2]",
                "    Asia [2]",
                "  Rivers [3]",
                "Spanish [1]",
            ]
        );
        assert_eq!(rows[0].deck, None);
        assert_eq!(rows[0].name, "geo");
        assert_eq!(rows[0].children, Children::Shown);
        assert_eq!(rows[2].children, Children::None);
    }

    #[test]
    fn collapsed_nodes_hide_their_children_but_keep_their_subtree() {
        let decks = [
            deck("geo", "Geo"),
            deck("geo.capitals", "Geo::Capitals"),
            deck("geo.capitals.asia", "Geo::Capitals::Asia"),
        ];
        let refs: Vec<&Deck> = decks.iter().collect();
        let collapsed = BTreeSet::from(["geo.capitals".to_owned()]);
        let rows = rows(&refs, &collapsed);
        assert_eq!(shown(&rows), ["Geo [0, 1, 2]", "  Capitals [1, 2]"]);
        assert_eq!(rows[1].children, Children::Collapsed);
    }

    #[test]
    fn names_that_do_not_follow_the_ids_are_shown_whole() {
        let decks = [deck("a.b", "Something else")];
        let refs: Vec<&Deck> = decks.iter().collect();
        let rows = rows(&refs, &BTreeSet::new());
        assert_eq!(shown(&rows), ["a [0]", "  b [0]"]);
    }
}
