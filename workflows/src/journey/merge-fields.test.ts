import { describe, expect, it } from 'vitest';
import { mergeFieldProblem, renderMergeFields } from './merge-fields';

describe('renderMergeFields', () => {
  const data = {
    first_name: 'Ada <script>alert("x")</script>',
    seats: 12,
    account: { name: "O'Brien & Sons", plan: { tier: 'pro' } },
    tags: ['a', 'b'],
    blank: '',
  };

  it('fills fields and nested fields, escaping values for HTML', () => {
    expect(
      renderMergeFields('<p>Hi {{first_name}} of {{ account.name }} ({{seats}} seats)</p>', data),
    ).toEqual({
      text: '<p>Hi Ada &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; of O&#39;Brien &amp; Sons (12 seats)</p>',
      missing: [],
    });
    expect(renderMergeFields('{{account.plan.tier}}', data).text).toBe('pro');
  });

  it('leaves values as they are for plain text', () => {
    expect(renderMergeFields('For {{account.name}}', data, { escape: 'none' }).text).toBe(
      "For O'Brien & Sons",
    );
  });

  it('reports each missing field once and renders it empty', () => {
    expect(
      renderMergeFields('{{last_name}}, {{blank}}{{account.size}} {{last_name}} {{tags}} {{account}}', data),
    ).toEqual({
      text: ',    ',
      missing: ['last_name', 'blank', 'account.size', 'tags', 'account'],
    });
  });

  it('does not read the prototype', () => {
    expect(renderMergeFields('{{constructor}}{{account.toString}}', data).missing).toEqual([
      'constructor',
      'account.toString',
    ]);
  });
});

describe('mergeFieldProblem', () => {
  it('accepts well-formed fields and text without any', () => {
    expect(mergeFieldProblem('Hi {{first_name}}, {{ account.name }}')).toBeNull();
    expect(mergeFieldProblem('No fields here')).toBeNull();
  });

  it('names what is wrong', () => {
    expect(mergeFieldProblem('Hi {{first name}}')).toContain('"{{first name}}" is not a merge field');
    expect(mergeFieldProblem('Hi {{}}')).toContain('is not a merge field');
    expect(mergeFieldProblem('Hi {{first_name}')).toBe('a merge field is missing its "{{" or "}}"');
    expect(mergeFieldProblem('Hi first_name}}')).toBe('a merge field is missing its "{{" or "}}"');
  });
});
