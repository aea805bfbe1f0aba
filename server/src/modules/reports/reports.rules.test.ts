import { describe, expect, it } from 'vitest';
import { adviceFor, ruleOf, suggest, suggestionsFor, THRESHOLDS } from './reports.rules.js';
import type { TWeakLeaf } from './reports.schema.js';

const leaf = (o: Partial<TWeakLeaf>): TWeakLeaf => ({
  indicatorId: 1,
  code: 'A1',
  name: '按时办结率',
  points: 10,
  score: 5,
  categoryAvg: 6.2,
  gap: 12,
  ...o,
});

describe('suggestion rules', () => {
  it('files a leaf by how far it is below the category average', () => {
    expect(ruleOf(leaf({ score: null, gap: null }))).toBe('missing');
    expect(ruleOf(leaf({ gap: THRESHOLDS.severe }))).toBe('severe');
    expect(ruleOf(leaf({ gap: 19.9 }))).toBe('behind');
    expect(ruleOf(leaf({ gap: THRESHOLDS.behind }))).toBe('behind');
    expect(ruleOf(leaf({ gap: 9.99 }))).toBe('slightly');
    expect(ruleOf(leaf({ gap: 4.99 }))).toBeNull();
    expect(ruleOf(leaf({ gap: -3 }))).toBeNull();
  });

  it('states the finding with the score rate and the gap, and advice by the kind of leaf', () => {
    const s = suggest('甲局', leaf({ score: 6.2, gap: 12 }))!;
    expect(s.rule).toBe('behind');
    expect(s.finding).toBe('“按时办结率”得分率 62.0%，低于同类单位均值 12.0 个百分点');
    expect(s.advice).toContain('整改方案');
    expect(s.advice).toContain('诉求办理台账');
    expect(suggest('甲局', leaf({ name: '群众满意度', gap: 25 }))!.advice).toMatch(/^建议列入督办事项.*回访/);
    expect(suggest('甲局', leaf({ name: '招商引资', gap: 6 }))!.advice).toMatch(/^建议持续跟踪.*对照指标要求/);
    expect(suggest('甲局', leaf({ gap: 2 }))).toBeNull();
    expect(suggest('甲局', leaf({ score: null, gap: null }))!.finding).toContain('没有得分数据');
  });

  it('picks the advice of the first matching kind', () => {
    expect(adviceFor('工单签收及时率')).toContain('签收');
    expect(adviceFor('重点项目投资完成率')).toContain('滞后项目');
    expect(adviceFor('政务公开')).toContain('对照指标要求');
  });

  it('orders a unit’s suggestions by severity (missing first), keeping the gap order within a rule, up to the limit', () => {
    const list = suggestionsFor(
      '乙局',
      [
        leaf({ code: 'A', gap: 11 }),
        leaf({ code: 'B', gap: 30 }),
        leaf({ code: 'C', gap: 1 }),
        leaf({ code: 'D', score: null, gap: null }),
        leaf({ code: 'E', gap: 10.5 }),
      ],
      4,
    );
    expect(list.map((s) => [s.code, s.rule])).toEqual([
      ['D', 'missing'],
      ['B', 'severe'],
      ['A', 'behind'],
      ['E', 'behind'],
    ]);
    expect(suggestionsFor('乙局', [leaf({ gap: 11 }), leaf({ gap: 12 })], 1)).toHaveLength(1);
  });
});

describe('suggestion rules in English', () => {
  it('states the same finding and advice in English, keeping the configured leaf name', () => {
    const s = suggest('甲局', leaf({ score: 6.2, gap: 12 }), 'en')!;
    expect(s).toMatchObject({ rule: 'behind', unitName: '甲局', indicator: '按时办结率' });
    expect(s.finding).toBe(
      '“按时办结率” scored 62.0% of its points, 12.0 percentage points below the average of similar units',
    );
    expect(s.advice).toMatch(/^Draw up a rectification plan with a deadline: keep a ledger of the requests/);
    expect(suggest('甲局', leaf({ name: '群众满意度', gap: 25 }), 'en')!.advice).toMatch(
      /^List it as a supervision task.*call back every dissatisfied requester/,
    );
    expect(suggest('甲局', leaf({ score: null, gap: null }), 'en')!.finding).toBe(
      '“按时办结率” has no score for this period',
    );
    expect(adviceFor('政务公开', 'en')).toMatch(/^compare with the indicator’s requirements/);
    expect(adviceFor('On-time closing rate', 'en')).toMatch(/^keep a ledger/);
  });

  it('picks the same rules in both languages, and the English texts hold no Chinese but the names', () => {
    const leaves = [
      leaf({ code: 'A', gap: 11 }),
      leaf({ code: 'B', name: '项目投资', gap: 30 }),
      leaf({ code: 'D', score: null, gap: null }),
    ];
    const zh = suggestionsFor('乙局', leaves, 4);
    const en = suggestionsFor('乙局', leaves, 4, 'en');
    expect(en.map((s) => [s.code, s.rule])).toEqual(zh.map((s) => [s.code, s.rule]));
    const cjk = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
    for (const s of en) {
      expect(s.advice).not.toMatch(cjk);
      expect(s.finding.replace(s.indicator, '')).not.toMatch(cjk);
    }
  });
});
