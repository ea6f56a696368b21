import SQLite

/// The knowledge database's tables, as numbered migrations (`PRAGMA user_version`).
///
/// `settings` records the embedding model's identity and dimension: vectors from two models are
/// not comparable, so a database is bound to the model that built it. `chunks_fts` is an external-
/// content FTS5 index over `chunks.text` with the trigram tokenizer (substring matching, which works
/// for Korean where particles attach to words), kept in step by triggers; deleting a document
/// cascades to its chunks, their vectors and their index entries. `chunks_grams` holds the
/// `NGramText` terms of each chunk (Hangul bigrams, whole English words stemmed by `porter`),
/// written by the ingester: the trigram index alone cannot match a two-syllable stem whose
/// particle differs between query and text.
enum KnowledgeSchema {
    static let migrations = [
        Migration(version: 1, name: "knowledge base", sql: """
            CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE documents (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE,
                sha256 TEXT NOT NULL,
                title TEXT NOT NULL,
                modified REAL NOT NULL,
                size INTEGER NOT NULL,
                ingested REAL NOT NULL
            );
            CREATE TABLE chunks (
                id INTEGER PRIMARY KEY,
                document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                text TEXT NOT NULL,
                token_count INTEGER NOT NULL,
                UNIQUE (document_id, position)
            );
            CREATE TABLE vectors (
                chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
                dimension INTEGER NOT NULL,
                vector BLOB NOT NULL
            );
            CREATE VIRTUAL TABLE chunks_fts USING fts5(text, content='chunks', content_rowid='id', tokenize='trigram');
            CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
                INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
            END;
            CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
                INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
                DELETE FROM chunks_grams WHERE rowid = old.id;
            END;
            CREATE VIRTUAL TABLE chunks_grams USING fts5(terms, tokenize='porter unicode61');
            """),
    ]
}
