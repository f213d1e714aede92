import { describe, expect, it } from 'vitest';
import { DataError } from '../intelligence/data-error';
import { parsePaths } from './paths-file';

const HEADER = 'path;total_conversions;total_conversion_value;total_null';

describe('paths file', () => {
  it('reads the semicolon format with a BOM, CRLF, blank lines and quoted fields', () => {
    const text = `\ufeff${HEADER}\r\nSearch > Email > Direct;12;840.5;230\r\n\r\n"Social;Paid > Email";0;0;7\r\n"Say ""hi""";1;1e2;0\r\n`;
    expect(parsePaths(text)).toEqual([
      { channels: ['Search', 'Email', 'Direct'], conversions: 12, value: 840.5, nulls: 230 },
      { channels: ['Social;Paid', 'Email'], conversions: 0, value: 0, nulls: 7 },
      { channels: ['Say "hi"'], conversions: 1, value: 100, nulls: 0 },
    ]);
  });

  it('takes commas when the header has no semicolon, columns in any order, extra columns ignored', () => {
    const text = 'Total_Null,path,segment,total_conversions,total_conversion_value\n3,A>B,x,1,9.5\n';
    expect(parsePaths(text)).toEqual([{ channels: ['A', 'B'], conversions: 1, value: 9.5, nulls: 3 }]);
  });

  it.each([
    [`${HEADER}\nA;1;2\n`, /line 2 has 3 fields, the header has 4/],
    [`${HEADER}\nA;1;2;3\n\nB;x;2;3\n`, /line 4: total_conversions "x" is not a number/],
    [`${HEADER}\nA;1;;3\n`, /line 2: total_conversion_value "" is not a number/],
    [`${HEADER}\nA;1;0x10;3\n`, /line 2: total_conversion_value "0x10" is not a number/],
    [`${HEADER}\nA;1;2;-3\n`, /line 2: total_null is negative \(-3\)/],
    [`${HEADER}\nA >  > B;1;2;3\n`, /line 2: the path "A >  > B" has an empty channel name/],
    [`${HEADER}\n"A;1;2;3\n`, /line 2: a quoted field is not closed/],
    [`${HEADER}\n"A"x;1;2;3\n`, /line 2: unexpected text after a closing quote/],
    [
      'path;total_conversions;total_null\nA;1;2\n',
      /line 1: the header needs exactly one "total_conversion_value"/,
    ],
    [`${HEADER}\n\n`, /has no data rows/],
    ['\n \n', /is empty/],
  ])('reports %j clearly', (text, message) => {
    expect(() => parsePaths(text, 'paths.csv')).toThrow(DataError);
    expect(() => parsePaths(text, 'paths.csv')).toThrow(message);
  });

  it('names the file in its errors', () => {
    expect(() => parsePaths(`${HEADER}\nA;1;2\n`, 'paths.csv')).toThrow(/^paths\.csv line 2/);
  });
});
