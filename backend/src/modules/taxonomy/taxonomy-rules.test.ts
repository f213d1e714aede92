import { describe, expect, it } from 'vitest';
import { DEFAULT_TAXONOMY, TaxonomyMatcher } from './taxonomy-rules';

const m = new TaxonomyMatcher(DEFAULT_TAXONOMY);

describe('default taxonomy', () => {
  it.each([
    ['https://acme.com/pricing', 'pricing', 'evaluation', 'Viewed Pricing'],
    ['https://acme.com/pricing/', 'pricing', 'evaluation', 'Viewed Pricing'],
    ['https://acme.com/acme-vs-globex', 'comparison', 'evaluation', 'Viewed Comparison'],
    ['https://acme.com/case-studies/initech?utm=x', 'case study', 'evaluation', 'Viewed Case Study'],
    ['https://acme.com/docs/getting-started', 'docs', 'educational', 'Read Docs'],
    ['/blog/why-journeys', 'blog', 'educational', 'Read Blog Post'],
    ['https://acme.com/webinars/q3', 'webinar', 'educational', 'Viewed Webinar'],
    ['https://acme.com/demo', 'sales', 'purchase', 'Viewed Demo Page'],
  ])('maps page %s to %s / %s', (url, category, intent, canonical) => {
    expect(m.map({ type: 'page', event: null, url })).toEqual({
      canonicalEvent: canonical,
      category,
      intent,
    });
  });

  it.each([
    ['Email Opened', 'email', 'educational'],
    ['email link clicked', 'email', 'evaluation'],
    ['Trial Started', 'product', 'purchase'],
    ['Order Completed', 'checkout', 'purchase'],
    ['Contact Sales Form Submitted', 'sales', 'purchase'],
  ])('maps spec event %s', (event, category, intent) => {
    expect(m.map({ type: 'track', event, url: null })).toMatchObject({ category, intent });
  });

  it('keeps unknown events as they are and labels unknown pages', () => {
    expect(m.map({ type: 'track', event: 'Widget Frobbed', url: null })).toEqual({
      canonicalEvent: 'Widget Frobbed',
      category: null,
      intent: null,
    });
    expect(m.map({ type: 'page', event: 'Home', url: 'https://acme.com/' })).toEqual({
      canonicalEvent: 'Page Viewed',
      category: 'other',
      intent: null,
    });
  });

  it('lets a workspace rule placed first win', () => {
    const custom = new TaxonomyMatcher([
      {
        matchKind: 'url',
        pattern: '/pricing/enterprise',
        canonicalEvent: 'Viewed Enterprise Pricing',
        category: 'pricing',
        intent: 'purchase',
      },
      ...DEFAULT_TAXONOMY,
    ]);
    expect(custom.map({ type: 'page', event: null, url: 'https://a.co/pricing/enterprise' }).intent).toBe(
      'purchase',
    );
    expect(custom.map({ type: 'page', event: null, url: 'https://a.co/pricing' }).intent).toBe('evaluation');
  });
});
