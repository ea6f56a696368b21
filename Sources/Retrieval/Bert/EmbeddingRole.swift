/// Which side of a search a text is on. Asymmetric embedders (e5) are trained with a different
/// prefix on each side (`EmbeddingPrefixes`): `baton ingest` embeds passages, `baton search`
/// queries.
public enum EmbeddingRole: String, Sendable {
    case query, passage
}
