import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, sniffDelimiter, parseNumber } from '../src/csv.ts';
import { CsvFormatError, EmptyInputError, EncodingError } from '../src/errors.ts';
import { tempDir, writeFile } from './helpers.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function rows(file: string, opts = {}) {
  const out: { header: string[]; rows: [string[], number][]; delimiter: string } = { header: [], rows: [], delimiter: '' };
  await readCsv(
    file,
    {
      header(h, d) {
        out.header = h;
        out.delimiter = d;
      },
      row(f, line) {
        out.rows.push([f, line]);
      },
    },
    opts,
  );
  return out;
}

describe('readCsv', () => {
  it('counts lines like an editor: quoted newlines, empty lines, CRLF', async () => {
    const f = writeFile(dir, 'lines.csv', 'a,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n3,"q"\r\n');
    const r = await rows(f);
    expect(r.header).toEqual(['a', 'b']);
    expect(r.rows.map(([f2, l]) => [f2[0], l])).toEqual([
      ['1', 3],
      ['2', 5],
      ['3', 6],
    ]);
    expect(r.rows[0][0][1]).toBe('x\r\ny');
  });

  it('strips a UTF-8 BOM from the first column name', async () => {
    const f = writeFile(dir, 'bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,nom\n1,Évaux\n')]));
    const r = await rows(f);
    expect(r.header).toEqual(['id', 'nom']);
    expect(r.rows[0][0]).toEqual(['1', 'Évaux']);
  });

  it('rejects Latin-1 bytes with EncodingError naming file and line, and reads them in latin1 mode', async () => {
    const f = writeFile(dir, 'latin1.csv', Buffer.from('id,nom\n1,Limoges\n2,\xc9vaux-les-Bains\n', 'latin1'));
    const err = await rows(f).catch((e) => e);
    expect(err).toBeInstanceOf(EncodingError);
    expect(err.name).toBe('EncodingError');
    expect(err.line).toBe(3);
    expect(err.message).toContain(`${f}:3`);
    expect(err.message).toContain('latin1');
    const r = await rows(f, { encoding: 'latin1' });
    expect(r.rows[1][0][1]).toBe('Évaux-les-Bains');
  });

  it('accepts a multi-byte character split across stream chunks', async () => {
    // 1 MiB chunks: put a 2-byte "é" right on the boundary.
    const pad = 'x'.repeat((1 << 20) - 'id,nom\n1,'.length - 1);
    const f = writeFile(dir, 'split.csv', `id,nom\n1,${pad}é\n2,b\n`);
    const r = await rows(f);
    expect(r.rows[0][0][1].endsWith('é')).toBe(true);
    expect(r.rows[1]).toEqual([['2', 'b'], 3]);
  });

  it('throws EmptyInputError for an empty file and for a header alone', async () => {
    const empty = writeFile(dir, 'empty.csv', '');
    await expect(rows(empty)).rejects.toThrow(EmptyInputError);
    await expect(rows(empty)).rejects.toThrow(`${empty}: empty file`);
    const header = writeFile(dir, 'header.csv', 'id,nom\n');
    await expect(rows(header)).rejects.toThrow(EmptyInputError);
    await expect(rows(header)).rejects.toThrow(`${header}: header only`);
    const blank = writeFile(dir, 'blank.csv', '\n\n');
    await expect(rows(blank)).rejects.toThrow(EmptyInputError);
  });

  it('throws CsvFormatError with the line for an unclosed quote', async () => {
    const f = writeFile(dir, 'quote.csv', 'id,nom\n1,"ok"\n2,"pas fermé\n3,x\n');
    const err = await rows(f).catch((e) => e);
    expect(err).toBeInstanceOf(CsvFormatError);
    expect(err.message).toContain(f);
  });

  it('sniffs the separator outside quotes', () => {
    expect(sniffDelimiter('a,b,c')).toBe(',');
    expect(sniffDelimiter('a;b;"c,d,e"')).toBe(';');
    expect(sniffDelimiter('a\tb')).toBe('\t');
    expect(sniffDelimiter('abc')).toBe('');
  });

  it('parses decimal commas and rejects text', () => {
    expect(parseNumber('45,83')).toBe(45.83);
    expect(parseNumber(' -1.5 ')).toBe(-1.5);
    expect(parseNumber('')).toBeNaN();
    expect(parseNumber('1,2,3')).toBeNaN();
    expect(parseNumber('abc')).toBeNaN();
  });
});
