export const INTENTS = ['educational', 'evaluation', 'purchase', 'support'] as const;
export type Intent = (typeof INTENTS)[number];

export interface TaxonomyRule {
  /** `event`: the event name (pages use their name); `url`: the page URL's path. */
  matchKind: 'event' | 'url';
  /** Case-insensitive; `*` matches any run of characters. */
  pattern: string;
  canonicalEvent: string;
  category: string;
  intent: Intent;
}

export interface Mapping {
  canonicalEvent: string | null;
  category: string | null;
  intent: Intent | null;
}

const rule = (
  matchKind: TaxonomyRule['matchKind'],
  pattern: string,
  canonicalEvent: string,
  category: string,
  intent: Intent,
): TaxonomyRule => ({
  matchKind,
  pattern,
  canonicalEvent,
  category,
  intent,
});

/**
 * What every workspace starts with: Segment's spec events (B2B SaaS, e-commerce, email) and the URL shapes
 * most marketing sites share. Order matters: the first matching rule wins, and URL rules come first because a
 * page's address says more than its generic "Page Viewed".
 */
export const DEFAULT_TAXONOMY: TaxonomyRule[] = [
  rule('url', '*/pricing*', 'Viewed Pricing', 'pricing', 'evaluation'),
  rule('url', '*/plans*', 'Viewed Pricing', 'pricing', 'evaluation'),
  rule('url', '*/compare*', 'Viewed Comparison', 'comparison', 'evaluation'),
  rule('url', '*-vs-*', 'Viewed Comparison', 'comparison', 'evaluation'),
  rule('url', '*/alternatives*', 'Viewed Comparison', 'comparison', 'evaluation'),
  rule('url', '*/case-stud*', 'Viewed Case Study', 'case study', 'evaluation'),
  rule('url', '*/customers*', 'Viewed Case Study', 'case study', 'evaluation'),
  rule('url', '*/docs*', 'Read Docs', 'docs', 'educational'),
  rule('url', '*/documentation*', 'Read Docs', 'docs', 'educational'),
  rule('url', '*/guides*', 'Read Docs', 'docs', 'educational'),
  rule('url', '*/blog*', 'Read Blog Post', 'blog', 'educational'),
  rule('url', '*/webinar*', 'Viewed Webinar', 'webinar', 'educational'),
  rule('url', '*/events*', 'Viewed Webinar', 'webinar', 'educational'),
  rule('url', '*/demo*', 'Viewed Demo Page', 'sales', 'purchase'),
  rule('url', '*/contact-sales*', 'Viewed Contact Sales', 'sales', 'purchase'),
  rule('url', '*/checkout*', 'Viewed Checkout', 'checkout', 'purchase'),
  rule('url', '*/signup*', 'Viewed Sign-up', 'product', 'evaluation'),
  rule('url', '*/features*', 'Viewed Product', 'product', 'evaluation'),
  rule('url', '*/product*', 'Viewed Product', 'product', 'evaluation'),
  rule('url', '*/integrations*', 'Viewed Product', 'product', 'evaluation'),
  rule('url', '*/security*', 'Viewed Product', 'product', 'evaluation'),
  rule('url', '*/support*', 'Viewed Support', 'support', 'support'),
  rule('url', '*/help*', 'Viewed Support', 'support', 'support'),
  rule('event', 'Email Opened', 'Email Opened', 'email', 'educational'),
  rule('event', 'Email Link Clicked', 'Email Link Clicked', 'email', 'evaluation'),
  rule('event', 'Email Delivered', 'Email Delivered', 'email', 'educational'),
  rule('event', 'Email Bounced', 'Email Bounced', 'email', 'support'),
  rule('event', 'Unsubscribed', 'Unsubscribed', 'email', 'support'),
  rule('event', 'Signed Up', 'Signed Up', 'product', 'evaluation'),
  rule('event', 'Account Created', 'Signed Up', 'product', 'evaluation'),
  rule('event', 'Signed In', 'Signed In', 'product', 'evaluation'),
  rule('event', 'Trial Started', 'Trial Started', 'product', 'purchase'),
  rule('event', 'Trial Ended', 'Trial Ended', 'product', 'purchase'),
  rule('event', 'Invite Sent', 'Invite Sent', 'product', 'evaluation'),
  rule('event', 'Demo Requested', 'Demo Requested', 'sales', 'purchase'),
  rule('event', 'Contact Sales*', 'Demo Requested', 'sales', 'purchase'),
  rule('event', 'Webinar Registered', 'Webinar Registered', 'webinar', 'educational'),
  rule('event', 'Webinar Attended', 'Webinar Attended', 'webinar', 'educational'),
  rule('event', 'Whitepaper Downloaded', 'Content Downloaded', 'content', 'educational'),
  rule('event', 'Content Downloaded', 'Content Downloaded', 'content', 'educational'),
  rule('event', 'Product Viewed', 'Product Viewed', 'product', 'evaluation'),
  rule('event', 'Product List Viewed', 'Product Viewed', 'product', 'evaluation'),
  rule('event', 'Products Searched', 'Products Searched', 'product', 'evaluation'),
  rule('event', 'Product Added', 'Product Added', 'checkout', 'purchase'),
  rule('event', 'Cart Viewed', 'Cart Viewed', 'checkout', 'purchase'),
  rule('event', 'Checkout Started', 'Checkout Started', 'checkout', 'purchase'),
  rule('event', 'Order Completed', 'Order Completed', 'checkout', 'purchase'),
  rule('event', 'Subscription Started', 'Order Completed', 'checkout', 'purchase'),
  rule('event', 'Plan Upgraded', 'Plan Upgraded', 'checkout', 'purchase'),
  rule('event', 'Ticket Created', 'Support Ticket', 'support', 'support'),
  rule('event', 'Support Ticket*', 'Support Ticket', 'support', 'support'),
];

interface Compiled {
  rule: TaxonomyRule;
  re: RegExp;
}

/** Compiles rules once; matching a message is then a handful of regex tests. */
export class TaxonomyMatcher {
  private readonly compiled: Compiled[];
  // Traffic repeats itself (the same pages and events over and over), so results are memoised.
  private readonly memo = new Map<string, Mapping>();

  constructor(rules: TaxonomyRule[]) {
    this.compiled = rules.map((rule) => ({ rule, re: globToRegExp(rule.pattern) }));
  }

  map(input: { type: string; event: string | null; url: string | null }): Mapping {
    const key = `${input.type}\u0000${input.event ?? ''}\u0000${input.url ?? ''}`;
    let mapping = this.memo.get(key);
    if (!mapping) {
      mapping = this.match(input);
      if (this.memo.size >= 50_000) this.memo.clear();
      this.memo.set(key, mapping);
    }
    return mapping;
  }

  private match(input: { type: string; event: string | null; url: string | null }): Mapping {
    const path = input.url ? pathOf(input.url) : null;
    for (const { rule, re } of this.compiled) {
      const subject = rule.matchKind === 'url' ? path : input.event;
      if (subject !== null && re.test(subject)) {
        return { canonicalEvent: rule.canonicalEvent, category: rule.category, intent: rule.intent };
      }
    }
    if (input.type === 'page' || input.type === 'screen')
      return { canonicalEvent: 'Page Viewed', category: 'other', intent: null };
    return { canonicalEvent: input.event, category: null, intent: null };
  }
}

export function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function pathOf(url: string): string {
  try {
    return new URL(url, 'http://x').pathname.replace(/\/+$/, '') || '/';
  } catch {
    return url;
  }
}
