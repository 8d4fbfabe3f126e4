import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif


/// Contract 3: incremental updates.
@Suite("Incremental index")
struct IncrementalTests {
    @Test("Several first searches at once: one builds the index, the others wait for it and answer the same")
    func firstSearchesAtOnceShareOneBuild() throws {
        let s = try Scratch(); defer { s.remove() }
        let running = try (0..<4).map { _ in try s.start("search", "kiến nghị cử tri", "--json") }
        let results = running.map { $0.wait(timeout: 60) }
        for r in results { #expect(r.exited(0), "\(r)") }
        let totals = results.compactMap { r -> Int? in
            (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["total"] as? Int
        }
        #expect(totals.count == 4 && Set(totals) == [30], "\(totals)")
    }

    @Test("re-indexing an unchanged corpus; then added, changed, touched and deleted files; then --full")
    func incremental() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()

        let same = try s.run("index", "--json")
        #expect(same.exited(0), "\(same)")
        let o1 = try same.json()
        #expect(o1["added"] as? Int == 0 && o1["updated"] as? Int == 0 && o1["removed"] as? Int == 0, "\(o1)")
        #expect(o1["unchanged"] as? Int == 68 && o1["documents"] as? Int == 68, "\(o1)")

        let deleted = "tin-tuc/2018/thuy-phu-ra-quan-nong-thon-moi.txt"
        let changed = "nghi-quyet/2018/nq-15-hdnd-thuy-duong.txt"
        let touched = "ke-hoach/2018/kh-05-tthdnd-thuy-duong.txt"
        let added = "tin-tuc/2025/hoi-thao-zebracorn.txt"
        #expect(try s.hitIDs("\"ra quân\"").contains(deleted))

        try s.write("corpus/" + added, "Phường Thủy Dương tổ chức hội thao zebracorn\n\nNgày 2/1/2025, phường Thủy Dương tổ chức hội thao zebracorn cho đoàn viên thanh niên.\n")
        let changedURL = s.corpusDir.appendingPathComponent(changed)
        var text = try String(contentsOf: changedURL, encoding: .utf8)
        text += "\nBổ sung: giao UBND phường lắp đặt đèn xylophonic tại tổ dân phố 5.\n"
        try text.write(to: changedURL, atomically: false, encoding: .utf8)
        // A later mtime, same bytes.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)],
                                              ofItemAtPath: s.corpusDir.appendingPathComponent(touched).path)
        try FileManager.default.removeItem(at: s.corpusDir.appendingPathComponent(deleted))

        let r = try s.run("index", "--json")
        #expect(r.exited(0), "\(r)")
        let o2 = try r.json()
        #expect(o2["added"] as? Int == 1, "\(o2)")
        #expect(o2["updated"] as? Int == 1, "\(o2)")
        #expect(o2["removed"] as? Int == 1, "\(o2)")
        #expect(o2["unchanged"] as? Int == 66, "the touched file counts as unchanged: \(o2)")
        #expect(o2["documents"] as? Int == 68)
        #expect(o2["full"] as? Bool == false)

        #expect(try s.hitIDs("zebracorn") == [added])
        #expect(try s.hitIDs("xylophonic") == [changed])
        #expect(!(try s.hitIDs("\"ra quân\"").contains(deleted)), "a deleted document is still found")
        #expect(try s.hitIDs(kienNghi).contains(touched))
        let gone = try s.run("show", deleted)
        #expect(gone.exited(1), "\(gone)")

        // Nothing changed since: all unchanged again (the touched file is not re-read every run).
        let o3 = try s.run("index", "--json").json()
        #expect(o3["added"] as? Int == 0 && o3["updated"] as? Int == 0 && o3["removed"] as? Int == 0 && o3["unchanged"] as? Int == 68, "\(o3)")

        let full = try s.run("index", "--full", "--json")
        #expect(full.exited(0), "\(full)")
        let o4 = try full.json()
        #expect(o4["full"] as? Bool == true && o4["added"] as? Int == 68 && o4["documents"] as? Int == 68, "\(o4)")
        #expect(try s.hitIDs("zebracorn") == [added])
        let stats = try s.run("stats", "--json").json()
        // --full leaves no deletions, at most one segment per indexing thread.
        #expect(stats["deleted"] as? Int == 0 && (1...2).contains(stats["segments"] as? Int ?? 0), "--full leaves clean segments: \(stats)")
    }
}

/// Contract 4: a killed indexer leaves the previous generation serving.
@Suite("Crash safety")
struct CrashSafetyTests {
    @Test("index --full killed at a failpoint: searches answer from the previous generation, the next run cleans up",
          arguments: [("ingest", 1), ("document", 5), ("write", 1), ("publish", 1)])
    func killedRebuild(_ failpoint: String, _ after: Int) throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        try s.buildIndex()  // generation 2: the killed run must not reuse or remove it
        let before = try s.hitIDs(kienNghi)
        let generationBefore = try s.indexListing().current

        let killed = try s.run("index", "--full", env: ["VNSEARCH_FAILPOINT": failpoint, "VNSEARCH_FAILPOINT_AFTER": String(after)])
        #expect(killed.signaled && killed.status == SIGKILL, "the failpoint did not kill the indexer: \(killed)")

        let afterCrash = try s.run("search", kienNghi, "--json", "--limit", "100")
        #expect(!afterCrash.signaled)
        let generationAfter = try s.indexListing().current
        #expect(generationAfter == generationBefore, "CURRENT moved although the run was killed before publishing")
        // Every failpoint, publish included: the killed run already removed generation 2 (when the
        // previous generation is 1, a publish-time kill only looks right because the new
        // generation reuses its folder and number).
        #expect(afterCrash.exited(0), "no answer after a killed index --full: \(afterCrash)")
        if afterCrash.exited(0) {
            let ids = (try afterCrash.json()["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids == before, "different hits after the crash")
        }

        // A normal run succeeds and leaves only CURRENT, writer.lock and the generation it names.
        let recover = try s.run("index", "--json")
        #expect(recover.exited(0), "\(recover)")
        let l = try s.indexListing()
        let cur = try #require(l.current)
        #expect(l.top == ["CURRENT", cur, "writer.lock"].sorted(), "leftovers in the index folder: \(l.top)")
        #expect(l.generation.contains("meta"))
        #expect(l.generation.allSatisfy { $0 == "meta" || $0.hasSuffix(".seg") || $0.hasSuffix(".del") }, "leftovers in \(cur): \(l.generation)")
        #expect(try s.hitIDs(kienNghi) == before)
    }
}

/// Contract 5: one indexer at a time; searches keep answering while the index is rebuilt.
@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("a second indexer exits 75 at once; with --wait it waits and succeeds")
    func secondIndexer() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        let lockPath = s.index.appendingPathComponent("writer.lock").path
        #expect(!flockHeld(on: lockPath))

        let holder = try s.start("index", "--full", "--quiet", env: ["VNSEARCH_FAILPOINT": "ingest", "VNSEARCH_FAILPOINT_ACTION": "sleep:4"])
        defer { _ = holder.wait(timeout: 20) }
        try #require(waitUntil(timeout: 10) { flockHeld(on: lockPath) }, "the first indexer never took the lock")

        let second = try s.run("index")
        #expect(second.exited(75), "\(second)")
        #expect(second.seconds < 2, "exit 75 should be immediate, took \(second.seconds) s")
        #expect(second.stderrLines.count == 1 && second.stderr.contains("another"), "\(second)")
        #expect(second.stdout.isEmpty)

        #expect(holder.isRunning && flockHeld(on: lockPath), "the first indexer finished too early for the --wait check")
        let waiter = try s.run("index", "--wait", "--json")
        let first = holder.wait(timeout: 20)
        #expect(first.exited(0), "\(first)")
        #expect(waiter.exited(0), "\(waiter)")
        #expect(waiter.seconds > 0.3, "--wait returned before the first indexer let go")
        #expect(try waiter.json()["documents"] as? Int == 68)
        #expect(!flockHeld(on: lockPath))
    }

    /// Runs `rebuilds` index runs in a background thread while 40 searches run in sequence.
    static func searchWhileRebuilding(full: Bool) throws -> (failures: [RunResult], emptyResults: [RunResult], rebuilds: [RunResult]) {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        final class Box: @unchecked Sendable { var runs: [RunResult] = []; var error: Error? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let scratch = s
        Thread.detachNewThread {
            for _ in 0..<8 {
                do { box.runs.append(try scratch.run(args: full ? ["index", "--full", "--quiet"] : ["index", "--quiet"])) } catch { box.error = error; break }
            }
            done.signal()
        }
        var failures: [RunResult] = [], empty: [RunResult] = []
        for _ in 0..<40 {
            let r = try s.run("search", kienNghi, "--json")
            if !r.exited(0) { failures.append(r); continue }
            if (try? r.json()["total"] as? Int) ?? 0 == 0 { empty.append(r) }
        }
        done.wait()
        if let e = box.error { throw e }
        return (failures, empty, box.runs)
    }

    @Test("40 searches while the index is updated 8 times: no failure, every search has hits")
    func searchesDuringIncrementalRebuilds() throws {
        let (failures, empty, rebuilds) = try Self.searchWhileRebuilding(full: false)
        #expect(rebuilds.count == 8 && rebuilds.allSatisfy { $0.exited(0) }, "\(rebuilds.filter { !$0.exited(0) })")
        #expect(failures.isEmpty, "\(failures.count) searches failed, first: \(failures.first.map { "\($0)" } ?? "")")
        #expect(empty.isEmpty, "\(empty.count) searches found nothing")
    }

    @Test("40 searches while the index is rebuilt with --full 8 times: no failure, every search has hits")
    func searchesDuringFullRebuilds() throws {
        let (failures, empty, rebuilds) = try Self.searchWhileRebuilding(full: true)
        #expect(rebuilds.count == 8 && rebuilds.allSatisfy { $0.exited(0) }, "\(rebuilds.filter { !$0.exited(0) })")
        // Failures caused by BUG-FULL-GC (the published generation's meta vanishes) are a known
        // issue; any other failure is not.
        let (known, other) = (failures.filter { $0.stderr.contains("/meta' is damaged (missing)") }, failures.filter { !$0.stderr.contains("/meta' is damaged (missing)") })
        #expect(other.isEmpty, "\(other.count) searches failed, first: \(other.first.map { "\($0)" } ?? "")")
        #expect(known.isEmpty, "\(known.count) of 40 searches failed during --full, first: \(known.first.map { "\($0)" } ?? "")")
        #expect(empty.isEmpty, "\(empty.count) searches found nothing")
    }
}
