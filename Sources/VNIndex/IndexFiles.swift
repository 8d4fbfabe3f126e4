/// Writing the small per-generation files (the builder lives above this module).
public enum IndexFiles {
    /// Writes `meta` into its (not yet published) generation folder, fsynced.
    public static func writeMeta(_ meta: IndexMeta, generationPath: String) throws {
        try FileIO.writeDurably(meta.encoded(), to: generationPath + "/meta")
    }

    /// Writes a deletion file into a not yet published generation, fsynced.
    public static func writeDeletions(_ set: DeletionSet, to path: String) throws {
        try FileIO.writeDurably(set.encoded(), to: path)
    }
}
