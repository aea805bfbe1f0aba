/** An amount of money in yuan for display: grouped digits, at most two decimals (12,345.5). */
export const money = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
