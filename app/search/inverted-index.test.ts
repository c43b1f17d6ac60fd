import { describe, expect, it } from "vitest";
import { InvertedIndex, type Hits } from "./inverted-index";

const BOOSTS = [3, 1];
const WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split(" ");

/** Deterministic pseudo-random documents: [title terms, body terms]. */
function makeDocs(n: number, seed: number): Map<string, string[][]> {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const words = (k: number) => Array.from({ length: k }, () => WORDS[Math.floor(rand() * rand() * WORDS.length)]);
  const docs = new Map<string, string[][]>();
  for (let i = 0; i < n; i++) docs.set(`d${i}`, [words(1 + Math.floor(rand() * 3)), words(5 + Math.floor(rand() * 30))]);
  return docs;
}

/** Every term's hits as id -> score, for comparing indexes whose slots differ. */
function allScores(index: InvertedIndex<string>): Map<string, Map<string, number>> {
  const allow = new Uint8Array(index.slotCount);
  for (let s = 0; s < allow.length; s++) if (index.payload(s) !== undefined) allow[s] = 1;
  const out = new Map<string, Map<string, number>>();
  for (const word of [...WORDS, "zzz"]) {
    const id = index.termId(word);
    const hits: Hits | undefined = id === undefined ? undefined : index.score([{ term: id, weight: 1 }], allow, 1);
    const byId = new Map<string, number>();
    if (hits) hits.slots.forEach((slot, i) => byId.set(index.payload(slot)!, hits.scores[i]));
    out.set(word, byId);
  }
  return out;
}

function expectSameScores(a: InvertedIndex<string>, b: InvertedIndex<string>): void {
  const sa = allScores(a);
  const sb = allScores(b);
  for (const [word, byId] of sa) {
    const other = sb.get(word)!;
    expect([...byId.keys()].sort(), word).toEqual([...other.keys()].sort());
    for (const [id, score] of byId) expect(score, `${word} ${id}`).toBeCloseTo(other.get(id)!, 10);
  }
}

function build(docs: Map<string, string[][]>, options = {}): InvertedIndex<string> {
  const index = new InvertedIndex<string>(BOOSTS, options);
  for (const [id, fields] of docs) index.add(id, fields, id);
  index.compact();
  return index;
}

describe("InvertedIndex", () => {
  it("scores the same after upserts, removals and compactions as a fresh build", () => {
    const docs = makeDocs(300, 1);
    const incremental = build(docs, { compactAfter: 500 });
    const updates = makeDocs(300, 2);
    let i = 0;
    for (const [id, fields] of updates) {
      if (i++ % 3 === 0) continue;
      if (i % 5 === 0) {
        incremental.remove(id);
        docs.delete(id);
      } else {
        incremental.remove(id);
        incremental.add(id, fields, id);
        docs.set(id, fields);
      }
      incremental.maybeCompact();
    }
    incremental.add("new-doc", [["omega"], ["alpha", "omega"]], "new-doc");
    docs.set("new-doc", [["omega"], ["alpha", "omega"]]);
    expect(incremental.size).toBe(docs.size);

    // Before the last compaction, removed documents still count in document frequencies (as
    // with MiniSearch's discard); the sets of matches are already exact.
    const fresh = build(docs);
    const before = allScores(incremental);
    for (const [word, byId] of allScores(fresh)) expect([...before.get(word)!.keys()].sort()).toEqual([...byId.keys()].sort());

    incremental.compact();
    expect(incremental.slotCount).toBe(docs.size);
    expectSameScores(incremental, fresh);
  });

  it("finds longer terms with a prefix, added before and after the last compaction", () => {
    const index = build(new Map([["a", [["rep", "replica"], ["replication", "report"]]]]));
    index.add("b", [["repair"], ["reply"]], "b");
    expect(index.extensions("rep", 10).map((id) => index.term(id)).sort()).toEqual(["repair", "replica", "replication", "reply", "report"]);
    index.compact();
    expect(index.extensions("repl", 10).map((id) => index.term(id))).toEqual(["replica", "replication", "reply"]);
    expect(index.extensions("zzz", 10)).toEqual([]);
  });

  it("keeps the most frequent extensions of a prefix with many", () => {
    const docs = new Map<string, string[][]>();
    for (let i = 0; i < 200; i++) docs.set(`t${i}`, [[], [`inc${1000 + i}`, ...(i % 2 === 0 ? ["incident"] : []), ...(i % 3 === 0 ? ["increase"] : [])]]);
    const index = build(docs);
    const top = index.extensions("inc", 3).map((id) => index.term(id));
    expect(top).toEqual(["incident", "increase", "inc1000"]);
    expect(index.extensions("inc", 500)).toHaveLength(202);
  });

  it("reports whether a term still has documents", () => {
    const index = build(new Map([["a", [["solo"], []]]]));
    const id = index.termId("solo")!;
    expect(index.hasDocuments(id)).toBe(true);
    index.remove("a");
    expect(index.hasDocuments(id)).toBe(false);
    expect(index.termId("solo")).toBe(id); // the vocabulary keeps it until rebuilt
    expect(index.score([{ term: id, weight: 1 }], new Uint8Array(index.slotCount).fill(1), 1).slots.length).toBe(0);
  });
});
