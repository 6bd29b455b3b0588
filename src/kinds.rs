//! Kinds of thing that every stage names: they belong to no one stage.
