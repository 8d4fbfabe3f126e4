import Testing
@testable import VNSearch

@Suite struct IgnoreListTests {
    /// Patterns glibc's fnmatch takes without an error but not as written: an unclosed "[" (read as
    /// a plain "["), a lone "\" at the end (matches nothing).
    @Test(arguments: [("drafts/[2019*", true), ("a\\", true), ("[[:alpha:]", true), ("[]", true), ("x[\\]", true),
                      ("README.md", false), ("drafts/*", false), ("[]x]*", false), ("[!]]", false), ("*.[tT][xX][tT]", false),
                      ("[[:digit:]]*", false), ("a\\[b", false), ("a\\\\", false)])
    func malformedPatternsAreFound(pattern: String, malformed: Bool) {
        #expect((IgnoreList.problem(in: pattern) != nil) == malformed, "\(pattern)")
    }
}
