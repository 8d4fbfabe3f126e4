/// Merges segments into one, dropping deleted documents: the k-way merge of their sorted term
/// dictionaries, with postings re-encoded for the new doc ordinals and positions copied.
/// Memory: the merged term lists (dictionary size) plus one term's postings at a time.
public enum SegmentMerger {
    public static func merge(_ inputs: [(SegmentReader, DeletionSet?)], into path: String) throws {
        // Merging copies raw records under fresh checksums: damaged input must stop here, not be
        // laundered into a segment that then passes `verify`.
        for (seg, _) in inputs where !seg.verifiedClean {
            let bad = seg.verify()
            if !bad.isEmpty { throw IndexError.corrupted(file: seg.path, reason: "checksum mismatch in " + bad.joined(separator: ", ")) }
        }
        let serializer = try SegmentSerializer(path: path)
        do {
            // Doc maps: old ordinal → new ordinal (or -1 when deleted).
            var maps: [[Int32]] = []
            var next: Int32 = 0
            for (seg, del) in inputs {
                var m = [Int32](repeating: -1, count: seg.documentCount)
                for d in 0..<seg.documentCount where !(del?.contains(d) ?? false) { m[d] = next; next += 1 }
                maps.append(m)
            }
            var lists: [[([UInt8], TermInfo)]] = []
            for (seg, _) in inputs {
                var l: [([UInt8], TermInfo)] = []
                l.reserveCapacity(seg.termCount)
                try seg.forEachTerm { t, i in l.append((t, i)); return true }
                lists.append(l)
            }
            var cursors = [Int](repeating: 0, count: inputs.count)
            var mergedTerms = 0
            // Drop the pages of every input read so far from our resident set (see `release`).
            func releaseConsumed() {
                for s in 0..<lists.count where cursors[s] > 0 {
                    let last = lists[s][cursors[s] - 1].1
                    inputs[s].0.release(.postings, upTo: last.postingsOffset + last.postingsLength)
                    inputs[s].0.release(.positions, upTo: last.positionsOffset + last.positionsLength)
                    inputs[s].0.release(.titlePostings, upTo: last.titleOffset + last.titleLength)
                }
            }
            var docs: [Int32] = [], freqs: [Int32] = []
            var post: [UInt8] = [], pos: [UInt8] = [], title: [UInt8] = []
            var outDocs: [Int32] = [], outFreqs: [Int32] = [], outTitleDocs: [Int32] = [], outTitleFreqs: [Int32] = []
            while true {
                // Smallest current term.
                var smallest: [UInt8]? = nil
                for s in 0..<lists.count where cursors[s] < lists[s].count {
                    let t = lists[s][cursors[s]].0
                    if smallest == nil || SegmentReader.lexLess(t, smallest!) { smallest = t }
                }
                guard let term = smallest else { break }
                post.removeAll(keepingCapacity: true); pos.removeAll(keepingCapacity: true); title.removeAll(keepingCapacity: true)
                outDocs.removeAll(keepingCapacity: true); outFreqs.removeAll(keepingCapacity: true)
                outTitleDocs.removeAll(keepingCapacity: true); outTitleFreqs.removeAll(keepingCapacity: true)
                for s in 0..<lists.count where cursors[s] < lists[s].count && lists[s][cursors[s]].0 == term {
                    let (seg, _) = inputs[s]
                    let info = lists[s][cursors[s]].1
                    cursors[s] += 1
                    try seg.postings(info, docs: &docs, freqs: &freqs)
                    let raw = seg.rawPositions(info)
                    var c = ByteCursor(raw)
                    for k in 0..<docs.count {
                        let start = c.offset
                        c.skipVarints(Int(freqs[k]))
                        let nd = maps[s][Int(docs[k])]
                        guard nd >= 0 else { continue }
                        outDocs.append(nd); outFreqs.append(freqs[k])
                        pos.append(contentsOf: raw[start..<c.offset])
                    }
                    if c.failed { throw IndexError.corrupted(file: seg.path, reason: "positions do not decode") }
                    if info.titleDocFreq > 0 {
                        try seg.titlePostings(info, docs: &docs, freqs: &freqs)
                        for k in 0..<docs.count {
                            let nd = maps[s][Int(docs[k])]
                            guard nd >= 0 else { continue }
                            outTitleDocs.append(nd); outTitleFreqs.append(freqs[k])
                        }
                    }
                }
                mergedTerms += 1
                if mergedTerms % 4096 == 0 { releaseConsumed() }
                let df = outDocs.count, tdf = outTitleDocs.count
                guard df > 0 || tdf > 0 else { continue }  // every holder deleted
                PostingsCodec.encode(docs: outDocs, freqs: outFreqs, into: &post)
                PostingsCodec.encode(docs: outTitleDocs, freqs: outTitleFreqs, into: &title)
                try term.withUnsafeBytes { t in
                    try post.withUnsafeBytes { p in
                        try pos.withUnsafeBytes { q in
                            try title.withUnsafeBytes { ti in
                                try serializer.addTerm(t, docFreq: df, postings: p, positions: q, titleDocFreq: tdf, titlePostings: ti)
                            }
                        }
                    }
                }
            }
            releaseConsumed()
            for (s, (seg, _)) in inputs.enumerated() {
                for d in 0..<seg.documentCount where maps[s][d] >= 0 {
                    if d % 1024 == 1023 {
                        let end = seg.storeEnd(d)
                        seg.release(.docInfo, upTo: end.info)
                        seg.release(.store, upTo: end.store)
                    }
                    let r = try seg.rawRecords(d)
                    try serializer.addDocument(tokenCount: r.entry.tokenCount, titleTokenCount: r.entry.titleTokenCount,
                                               kind: r.entry.kind, flags: r.entry.flags, date: r.entry.date,
                                               info: r.info, store: r.store)
                }
            }
            try serializer.finish()
        } catch {
            serializer.discardTemporaries()
            throw error
        }
    }
}
