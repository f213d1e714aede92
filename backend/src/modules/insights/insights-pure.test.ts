import { describe, expect, it } from 'vitest';
import { createRng } from '../../intelligence/random';
import { categoricalPsi } from './insights.service';
import { findMoments, momentSentence, parseMaskGroups, type MaskGroups } from './moments';
import {
  channelOf,
  chooseVocabulary,
  DAY_MS,
  segmentOf,
  sizeBand,
  summarizeProfile,
  type SummaryEvent,
} from './profile-summary';
import { buildSankey } from './sankey';
import { survivalBySegment } from './survival';

/** Packs people's masks (BigInts) the way the masks query returns them. */
function packMaskGroups(
  groups: { moments: bigint; pairs: bigint; converted: boolean; n: number }[],
): MaskGroups {
  const entry = (kind: number, mask: bigint, g: (typeof groups)[number]) => [
    kind,
    Number(mask & 0x7fffffffn),
    Number(mask >> 31n),
    g.converted ? 1 : 0,
    g.n,
  ];
  return Float64Array.from(groups.flatMap((g) => [...entry(0, g.moments, g), ...entry(1, g.pairs, g)]));
}

const T0 = Date.UTC(2026, 3, 1, 12);
const ev = (day: number, name: string | null, more: Partial<SummaryEvent> = {}): SummaryEvent => ({
  at: T0 + day * DAY_MS,
  type: 'track',
  name,
  category: null,
  intent: null,
  utmSource: null,
  utmMedium: null,
  referrer: null,
  url: null,
  ...more,
});

describe('channels and segments', () => {
  it('labels channels as source / medium from UTM tags, search referrers and other sites', () => {
    expect(channelOf({ utmSource: 'LinkedIn', utmMedium: 'Social', referrer: null, url: null })).toBe(
      'linkedin / social',
    );
    expect(
      channelOf({ utmSource: null, utmMedium: null, referrer: null, url: 'https://a.com/?utm_source=news' }),
    ).toBe('news / (none)');
    expect(
      channelOf({ utmSource: null, utmMedium: null, referrer: 'https://www.google.co.uk/search', url: null }),
    ).toBe('google / organic');
    expect(channelOf({ utmSource: null, utmMedium: null, referrer: 'https://partner.io/x', url: null })).toBe(
      'partner.io / referral',
    );
    // Internal navigation says nothing about the channel.
    expect(
      channelOf({
        utmSource: null,
        utmMedium: null,
        referrer: 'https://acme.com/a',
        url: 'https://www.acme.com/b',
      }),
    ).toBeNull();
  });

  it('bands company sizes and reads plan and region from the person, then the account', () => {
    expect([5, 50, 51, 1000, 1001].map(sizeBand)).toEqual(['1–10', '11–50', '51–200', '201–1,000', '1,001+']);
    expect(sizeBand('1,200')).toBe('1,001+');
    expect(sizeBand('Enterprise')).toBe('Enterprise');
    expect(segmentOf({ plan: 'Pro' }, { numberofemployees: 120, country: 'DE' })).toEqual({
      companySize: '51–200',
      plan: 'Pro',
      region: 'DE',
    });
  });
});

describe('one person summarised', () => {
  const vocabulary = chooseVocabulary(
    [
      { token: 'e:Webinar Attended', profiles: 50 },
      { token: 'e2:Setup Completed', profiles: 40 },
      { token: 'c:pricing', profiles: 30 },
      { token: 'e:Everyone', profiles: 100 },
      { token: 'e:Rare', profiles: 2 },
    ],
    100,
    5,
  );

  it('chooses common, not universal, touchpoints and pairs them', () => {
    expect(vocabulary.tokens).toEqual(['e:Webinar Attended', 'e2:Setup Completed', 'c:pricing']);
    expect(vocabulary.pairs).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });

  it('finds conversion, stage reach and time in stage, paths and touchpoints before converting', () => {
    const s = summarizeProfile(
      {
        events: [
          ev(0, 'Home', { type: 'page', referrer: 'https://google.com/', category: 'product' }),
          ev(1, 'Webinar Attended', { category: 'webinar' }),
          ev(2, 'Setup Completed', { intent: 'evaluation' }),
          ev(3, 'Setup Completed', { utmSource: 'newsletter', utmMedium: 'email' }),
          ev(4, 'Trial Started'),
          ev(9, 'Pricing', { type: 'page', category: 'pricing' }),
        ],
        transitions: [
          { stage: 'aware', at: T0 },
          { stage: 'engaged', at: T0 + 2 * DAY_MS },
          { stage: 'trial', at: T0 + 4 * DAY_MS },
        ],
        current: { stage: 'trial', at: T0 + 4 * DAY_MS },
        profileTraits: { plan: 'Pro' },
        accountTraits: null,
      },
      {
        goal: { kind: 'event', event: 'Trial Started' },
        stageKeys: ['aware', 'engaged', 'trial'],
        horizonDays: 14,
        vocabulary,
      },
    );
    expect(s).toMatchObject({
      channel: 'google / organic',
      plan: 'Pro',
      convertedAt: T0 + 4 * DAY_MS,
      maxStage: 2,
      curStage: 2,
      stageDays: [2, 2, null],
      stagePath: ['aware', 'engaged', 'trial'],
      touchPath: ['google / organic', 'newsletter / email'],
      categoryPath: ['product', 'webinar'],
      events: 6,
      earlyEvents: 5,
      earlyDays: 5,
      earlyCategories: 2,
      earlyEvaluation: 1,
    });
    // Webinar and setup twice before converting, within 2 days of each other; pricing came after.
    expect(s.moments).toBe(0b011n);
    expect(s.pairs).toBe(0b001n);
  });

  it('without a goal event, converting is reaching the last stage', () => {
    const s = summarizeProfile(
      {
        events: [ev(0, 'Home')],
        transitions: [],
        current: { stage: 'b', at: T0 + DAY_MS },
        profileTraits: {},
        accountTraits: null,
      },
      { goal: { kind: 'stage', stageIndex: 1 }, stageKeys: ['a', 'b'], horizonDays: 14, vocabulary },
    );
    expect(s).toMatchObject({
      convertedAt: T0 + DAY_MS,
      maxStage: 1,
      channel: '(direct)',
      touchPath: ['(direct)'],
    });
  });
});

describe('moments, paths, curves', () => {
  it('counts every touchpoint and combination a mask group has, in both halves of the masks', () => {
    const rng = createRng(7);
    const tokens = Array.from({ length: 62 }, (_, i) => `e:T${i}`);
    const pairs = Array.from({ length: 62 }, (_, i): [number, number] => [i, (i + 1) % 62]);
    const mask = () => {
      let m = 0n;
      for (let bit = 0n; bit < 62n; bit++) if (rng() < 0.2) m |= 1n << bit;
      return m;
    };
    const raw = Array.from({ length: 400 }, () => ({
      moments: mask(),
      pairs: mask(),
      converted: rng() < 0.3,
      n: 1 + Math.floor(rng() * 40),
    }));
    const { moments } = findMoments(packMaskGroups(raw), { tokens, pairs });
    expect(moments.length).toBeGreaterThan(100);
    for (const m of moments) {
      const bit = BigInt(
        m.kind === 'single'
          ? tokens.indexOf(m.tokens[0]!)
          : pairs.findIndex(([a, b]) => tokens[a] === m.tokens[0] && tokens[b] === m.tokens[1]),
      );
      const having = raw.filter((g) => ((m.kind === 'single' ? g.moments : g.pairs) >> bit) & 1n);
      expect(m.withPeople).toBe(having.reduce((n, g) => n + g.n, 0));
      expect(m.withConverted).toBe(having.filter((g) => g.converted).reduce((n, g) => n + g.n, 0));
    }
  });

  it('reads the masks query text back into the groups, and refuses what is not that text', () => {
    const groups = packMaskGroups([
      { moments: (1n << 61n) | 1n, pairs: (1n << 31n) - 1n, converted: true, n: 3 },
      { moments: 0n, pairs: 1n << 30n, converted: false, n: 41_000 },
    ]);
    expect(parseMaskGroups([...groups].join(' '))).toEqual(groups);
    expect([...groups.subarray(0, 5)]).toEqual([0, 1, 2 ** 30, 1, 3]);
    expect([...groups.subarray(5, 10)]).toEqual([1, 2 ** 31 - 1, 0, 1, 3]);
    expect(parseMaskGroups(null)).toHaveLength(0);
    expect(() => parseMaskGroups('1 2 3')).toThrow(/not groups of 5/);
    expect(() => parseMaskGroups('1 2 3 -4 5')).toThrow(/unexpected character/);
  });

  it('tests touchpoints from mask groups and words the finding', () => {
    const groups = packMaskGroups([
      { moments: 1n, pairs: 0n, converted: true, n: 15 },
      { moments: 1n, pairs: 0n, converted: false, n: 15 },
      { moments: 1n << 40n, pairs: 0n, converted: true, n: 5 },
      { moments: 1n << 40n, pairs: 0n, converted: false, n: 25 },
    ]);
    const tokens = Array.from({ length: 41 }, (_, i) => `e:T${i}`);
    tokens[0] = 'e:Webinar Attended';
    const { moments, people, converted } = findMoments(groups, { tokens, pairs: [] });
    expect({ people, converted }).toEqual({ people: 60, converted: 20 });
    expect(moments.map((m) => m.id).sort()).toEqual(['s:e:T40', 's:e:Webinar Attended']);
    const webinar = moments.find((m) => m.id === 's:e:Webinar Attended')!;
    const t40 = moments.find((m) => m.id === 's:e:T40')!;
    expect(webinar.lift.estimate).toBeCloseTo(3, 12);
    expect(t40.lift.estimate).toBeCloseTo(1 / 3, 12);
    expect(webinar.significant && t40.significant).toBe(true);
    expect(t40.sentence).toMatch(
      /^Prospects who had “T40” converted 67% less often \(95% CI \d+–\d+%, n = 30\)$/,
    );
    expect(
      momentSentence('Prospects who X', { estimate: 2.34, lower: 1.84, upper: 2.91 }, 412, {
        with: 0,
        without: 0,
      }),
    ).toBe('Prospects who X converted 2.3× more often (95% CI 1.8–2.9, n = 412)');
  });

  it('keeps the top routes and pools the rest per outcome', () => {
    const { nodes, links, paths, otherPeople, total } = buildSankey(
      [
        { steps: ['google', 'A', 'B'], outcome: 'converted', n: 5 },
        { steps: ['google', 'A'], outcome: 'dropped', n: 3 },
        { steps: ['email', 'A'], outcome: 'dropped', n: 1 },
        { steps: null, outcome: 'active', n: 2 },
      ],
      2,
    );
    expect(total).toBe(11);
    expect(otherPeople).toBe(3);
    expect(paths.map((p) => p.people)).toEqual([5, 3]);
    const id = (s: string) => nodes.findIndex((n) => n.id === s);
    expect(links).toContainEqual({ source: id('0|google'), target: id('1|A'), value: 8 });
    expect(links).toContainEqual({ source: id('0|Other paths'), target: id('3|Still active'), value: 2 });
    expect(nodes.find((n) => n.id === '3|Dropped off')!.value).toBe(4);
  });

  it('draws Kaplan–Meier curves per segment, pooling small ones, with a log-rank test', () => {
    const rows = [
      { segment: 'a', day: 1, event: 1, n: 5 },
      { segment: 'a', day: 10, event: 0, n: 5 },
      { segment: 'b', day: 5, event: 1, n: 2 },
      { segment: 'b', day: 10, event: 0, n: 8 },
      { segment: 'c', day: 3, event: 1, n: 1 },
    ];
    const { overall, segments, logRank } = survivalBySegment(rows, 2);
    expect(segments.map((s) => s.segment)).toEqual(['a', 'Other']);
    expect(overall.people).toBe(21);
    expect(segments[0]!.medianDays).toBe(1);
    expect(segments[0]!.points[1]).toMatchObject({ day: 1, survival: 0.5, atRisk: 10 });
    // O − E = 1.64 for "a" with variance 1.625: χ² ≈ 1.66 on 1 df.
    expect(logRank!.df).toBe(1);
    expect(logRank!.chiSquare).toBeCloseTo(1.66, 1);
  });

  it('measures stage-mix shift as PSI over shares', () => {
    expect(
      categoricalPsi([
        [0.5, 0.5],
        [0.5, 0.5],
      ]),
    ).toBe(0);
    expect(
      categoricalPsi([
        [0.5, 0.25],
        [0.5, 0.75],
      ]),
    ).toBeCloseTo(0.25 * Math.log(0.5) * -1 + 0.25 * Math.log(1.5), 12);
  });
});
