/// Writing the small per-generation files (the builder lives above this module).
public enum IndexFiles {
    /// Writes `meta` into its generation folder, fsynced.
    public static func writeMeta(_ meta: IndexMeta, generationPath: String) throws {
        try FileIO.writeAtomically(meta.encoded(), to: generationPath + "/meta")
    }

    public static func writeDeletions(_ set: DeletionSet, to path: String) throws {
        try FileIO.writeAtomically(set.encoded(), to: path)
    }
}
