/**
 * What a score input's reference (`score_inputs.source_ref`) means to a person: a short label and the
 * page that shows the record behind the number. The references are written by the modules that feed
 * scores (`kind:id…`); an unknown one is shown as it is.
 */
export type SourceLink = { zh: string; en: string; href: string | null };

const MONTH = /^\d{4}-\d{2}$/;

export function sourceRefLink(ref: string | null | undefined): SourceLink | null {
  if (!ref) return null;
  const submission = /^submission:(\d+)#r(\d+)$/.exec(ref);
  if (submission) {
    const [, id, rev] = submission;
    return {
      zh: Number(rev) > 0 ? `报送单 #${id}（第 ${rev} 次修订）` : `报送单 #${id}`,
      en: Number(rev) > 0 ? `Submission #${id} (revision ${rev})` : `Submission #${id}`,
      href: `/reporting/submissions/${id}`,
    };
  }
  const evaluation = /^evaluation:(\d+):\d+$/.exec(ref);
  if (evaluation)
    return {
      zh: `评议活动 #${evaluation[1]} 结果`,
      en: `Evaluation #${evaluation[1]} results`,
      href: `/evaluation/campaigns/${evaluation[1]}/results`,
    };
  const publication = /^publication:(\d+)$/.exec(ref);
  if (publication)
    return {
      zh: `专项考核发布 #${publication[1]}`,
      en: `Special publication #${publication[1]}`,
      href: '/schemes/results',
    };
  if (ref === 'seed:demo') return { zh: '演示数据', en: 'Demo data', href: null };
  if (ref.startsWith('spot_check:')) return { zh: '实地抽查记录', en: 'Spot checks', href: '/schemes/spot-checks' };
  const monthly = /^([a-z]+):\d+:(\d{4}-\d{2})$/.exec(ref);
  if (monthly && MONTH.test(monthly[2])) {
    const [, kind, month] = monthly;
    const page = MONTHLY[kind];
    if (page) return { zh: `${page.zh} ${month}`, en: `${page.en} ${month}`, href: page.href(month) };
  }
  return { zh: ref, en: ref, href: null };
}

const MONTHLY: Record<string, { zh: string; en: string; href: (month: string) => string }> = {
  casestats: { zh: '12345 诉求办理统计', en: '12345 case statistics', href: (m) => `/cases/stats?month=${m}` },
  approvals: { zh: '政务服务办件统计', en: 'Government services figures', href: () => '/services/figures' },
  supervision: { zh: '督办事项统计', en: 'Supervision statistics', href: () => '/supervision/ledger' },
  assistance: { zh: '求助服务统计', en: 'Assistance statistics', href: () => '/assistance/stats' },
  mediation: { zh: '矛盾调解统计', en: 'Mediation statistics', href: () => '/mediation/stats' },
  ratings: { zh: '好差评统计', en: 'Service ratings', href: () => '/ratings/rectifications' },
  notices: { zh: '问责文书统计', en: 'Accountability notices', href: () => '/notices' },
  urban: { zh: '城市管理考核', en: 'Urban management assessment', href: () => '/schemes/results' },
};
