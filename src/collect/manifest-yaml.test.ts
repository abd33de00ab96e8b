import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseAllDocuments, stringify } from 'yaml';
import { fastParseYamlDocuments, readYamlDocuments, resolvePlain } from './manifest-yaml.ts';

/** What the `yaml` library (the loader's full parser) makes of a text: documents with value and start line, or errors. */
function reference(text: string): { documents: Array<{ value: unknown; line: number }> } | 'error' {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  if (documents.some((document) => document.errors.length > 0)) return 'error';
  try {
    return { documents: documents.map((document) => ({ value: document.toJS({ maxAliasCount: 1000 }), line: lineCounter.linePos(document.range[0]).line })) };
  } catch {
    return 'error'; // an alias without anchor
  }
}

/** The fast reader either declines (null) or agrees with the library exactly; it never accepts what the library rejects. */
function agrees(text: string): { fast: boolean } {
  // The per-document mix of fast reader and library declines (null: parse the whole text with the
  // library) or reads the text exactly as the library does; it declines every text with an error.
  const mixed = readYamlDocuments(text);
  const whole = reference(text);
  if (whole === 'error' ? mixed !== null : mixed !== null && !isDeepStrictEqual(mixed, whole.documents)) {
    throw new Error(`per-document reading disagrees:\n${text}\nmixed: ${JSON.stringify(mixed)}\nyaml: ${JSON.stringify(whole)}`);
  }
  const fast = fastParseYamlDocuments(text);
  if (fast === null) return { fast: false };
  const expected = reference(text);
  if (expected === 'error') throw new Error(`fast reader accepted text the yaml library rejects:\n${text}`);
  if (!isDeepStrictEqual(fast, expected.documents)) {
    throw new Error(`fast reader disagrees:\n${text}\nfast: ${JSON.stringify(fast)}\nyaml: ${JSON.stringify(expected.documents)}`);
  }
  return { fast: true };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return name.endsWith('.yaml') ? [full] : [];
  });
}

describe('fastParseYamlDocuments', () => {
  it('reads every conformance fixture and corpus manifest, exactly as the yaml library does', () => {
    const files = [...yamlFiles('test/conformance/pss'), ...yamlFiles('test/corpus')];
    expect(files.length).toBeGreaterThan(4500);
    const declined = files.filter((file) => !agrees(readFileSync(file, 'utf8')).fast);
    expect(declined).toEqual([]);
  });

  it.each([
    ['helm output', '---\n# Source: chart/templates/a.yaml\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n---\nkind: Pod\n'],
    ['comment-only prefix', '# c\n---\na: 1\n'],
    ['trailing marker', 'a: 1\n---\n'],
    ['marker with comment', '\n\n---\na: 1\n--- # x\nb: 2\n'],
    ['indented document', '  a: 1\n  b:\n    - x\n'],
    ['compact sequences', 'spec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: 80\n      protocol: TCP\n  volumes:\n  - name: v\n'],
    ['nested sequences', '- - a\n  - b\n- - c\n'],
    ['empty values', 'a:\nb: ~\nc: null\nd: ""\ne:\n  # only a comment\nf: 1\n'],
    ['scalars', 'a: 1\nb: 1.5\nc: true\nd: "true"\ne: 0x1F\nf: 0o17\ng: 1e3\nh: .inf\ni: -.Inf\nj: .nan\nk: 007\nl: -0\nm: 9007199254740993\nn: 1_000\no: Yes\np: 12:30\n'],
    ['quoted', `a: "x\\ty\\u00e9\\"z"\nb: 'it''s'\nc: "#not comment"\nd: 'a: b'\n`],
    ['comments', 'a: b # comment\nc: d#not\n# full\ne: "f" # x\n'],
    ['flow', 'a: [1, two, "three", {x: y}, []]\nb: {k: v, n: [1, 2], e: {}}\nc: {"json":1, "k": "v"}\nd: [a, b, ]\n'],
    ['urls and colons', 'url: http://example.com:8080/x\nimage: nginx:1.27\ntime: "12:30"\n'],
    ['literal scalars', 'a: |\n  line1\n\n  line3\n\nb: |-\n  x\n   y\nc: |+\n  z\n\n\nd: 1\n'],
    ['literal in sequence', '- |\n  text\n- name: x\n  script: |\n    #!/bin/sh\n    echo hi\n'],
    ['literal with spaces-only lines', 'a: |\n  x\n    \n  y\n   \nb: 1\n'],
    ['literal with leading empty lines', 'a: |\n\n  x\n'],
    ['dash scalars', 'args: [-conf, /etc/x]\nb:\n- -v\n- --flag=1\n'],
    ['keys with spaces and dots', 'a b: 1\nexample.com/key: v\n"quoted key": 2\n'],
    ['duplicate keys', 'a: 1\nb: 2\na: 3\n'],
    ['plain scalar document', 'just text\n'],
    ['empty', ''],
    ['only comments', '# a\n# b\n'],
    ['multi-line plain scalars', 'a: x\n  y\n\n  z\nb:\n- chown -R 999:999\n  /var/lib/data\n- two\n'],
  ])('agrees with the yaml library on %s', (_name, text) => {
    expect(agrees(text).fast).toBe(true);
  });

  it.each([
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['folded scalars', 'a: >\n  x\n  y\n'],
    ['multi-line flow', 'a: [1,\n  2]\n'],
    ['multi-line quoted', 'a: "x\n  y"\n'],
    ['CRLF', 'a: 1\r\nb: 2\r\n'],
    ['directives', '%YAML 1.2\n---\na: 1\n'],
    ['document end', 'a: 1\n...\n'],
    ['tabs in indentation', 'a:\n\tb: 1\n'],
    ['nested mapping on one line', 'a: b: c\n'],
    ['numeric keys', '1: a\n'],
    ['complex keys', '? a\n: b\n'],
    ['unclosed flow', 'key: [unclosed\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['literal indentation indicator', 'a: |2\n   x\n'],
  ])('declines %s', (_name, text) => {
    expect(fastParseYamlDocuments(text)).toBeNull();
  });

  it('reads documents the fast reader declines with the library, one at a time', () => {
    const text = 'a: 1\n---\nb: &x [1]\nc: *x\n---\n# only a comment\n---\nlong: folded\n  over lines\n';
    expect(fastParseYamlDocuments(text)).toBeNull();
    const expected = reference(text);
    expect(expected).not.toBe('error');
    if (expected !== 'error') expect(readYamlDocuments(text)).toEqual(expected.documents);
    expect(readYamlDocuments('a: 1\n---\nkey: [unclosed\n')).toBeNull();
  });

  it('resolves plain scalars like the YAML 1.2 core schema', () => {
    for (const text of ['', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRue', 'false', 'FALSE', '0', '-0', '+1', '007', '0o17', '0o8', '0x1F', '0xg', '1.', '.5', '1e3', '1E+3', '1e', '-.inf', '+.INF', '.NaN', '.nan', '1_000', '0b1', 'Yes', 'on', '12:30', '0.1.2', 'n', 'f']) {
      const expected = (parseAllDocuments(`v: ${text}`)[0]?.toJS() as { v: unknown }).v;
      expect(Object.is(resolvePlain(text), expected) || (Number.isNaN(resolvePlain(text)) && Number.isNaN(expected)), text).toBe(true);
    }
  });

  const tricky = fc.constantFrom('', ' ', 'true', 'null', '~', '1', '1.0', '1e3', '0x10', '-', '- a', 'a: b', 'a:b', '#', 'a #b', 'x#y', '"q"', "'q'", 'multi\nline', 'trail ', ' lead', '[x]', '{y}', ',', '*a', '&b', '!c', '|', '>', '%', '@', '`', '\t', 'é', '---', '...', 'key: [', 'http://x:1');
  const scalar = fc.oneof(tricky, fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null));
  const key = fc.oneof(fc.constantFrom('name', 'image', 'app.kubernetes.io/name', 'a b', 'x:y', '#', '- k', 'true', '1', ''), fc.string({ minLength: 1, maxLength: 8 }));
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
    array: fc.array(tie('node'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  })).node;
  const options = fc.record({
    flowLevel: fc.constantFrom(undefined, 0, 1, 2),
    lineWidth: fc.constantFrom(0, 20, 80),
    indentSeq: fc.boolean(),
    indent: fc.constantFrom(2, 4),
    blockQuote: fc.constantFrom<true | false | 'literal'>(true, 'literal', false),
  });

  test.prop([fc.array(value, { minLength: 1, maxLength: 3 }), options, fc.boolean()], { numRuns: 600 })(
    'never disagrees with the yaml library on generated documents',
    (documents, { flowLevel, ...rest }, withComments) => {
      const text = documents
        .map((document) => {
          const out = stringify(document, { ...rest, ...(flowLevel === undefined ? {} : { flowLevel }) });
          return withComments ? `# generated\n${out.replace(/\n(?=\S)/, '\n# between\n')}` : out;
        })
        .join('---\n');
      agrees(text);
    },
  );

  const piece = fc.constantFrom('a', 'b', ':', ': ', '- ', ' ', '-', '\n', '\n  ', '\n    ', '\n- ', '#', ' #', '"', "'", '[', ']', '{', '}', ', ', '|', '|-', '|+', '1', '.', 'null', '0x1', '---\n', '\\', '\\u00e9', '\t', 'é', '?', '&', '*');
  test.prop([fc.string({ unit: piece, maxLength: 80 })], { numRuns: 5000 })(
    'never accepts what the yaml library rejects, nor reads it differently (random text)',
    (text) => {
      agrees(text);
    },
  );
});
