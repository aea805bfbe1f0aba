import { useQuery } from '@tanstack/react-query';
import type { TSetupStatus } from '@server/modules/setup/setup.schema';
import { http } from './api';
import { t } from './i18n';

export type SetupStatus = TSetupStatus;
export type PasswordPolicy = SetupStatus['passwordPolicy'];

/** What the sign-in page needs before anyone signs in: setup pending, demo mode, the password policy. */
export function useSetupStatus() {
  return useQuery({
    queryKey: ['setup-status'],
    queryFn: () => http.get<SetupStatus>('/api/setup'),
    staleTime: 60_000,
  });
}

export const DEFAULT_POLICY: PasswordPolicy = { minLength: 10, minClasses: 3, history: 5 };

/** The policy in words, for the form hints. */
export function policyText(p: PasswordPolicy = DEFAULT_POLICY): string {
  return t(
    `至少 ${p.minLength} 位，包含大写字母、小写字母、数字、符号中的至少 ${p.minClasses} 类，不能包含用户名${p.history ? `，不能与最近 ${p.history} 次的密码相同` : ''}。`,
    `At least ${p.minLength} characters using ${p.minClasses} of: upper case, lower case, digits, symbols; not containing the username${p.history ? `; not one of your last ${p.history} passwords` : ''}.`,
  );
}

/** antd form rules mirroring the server's policy (the server has the last word). */
export function passwordRules(p: PasswordPolicy = DEFAULT_POLICY, required = true) {
  return [
    { required, message: t('请输入密码', 'Enter a password') },
    { min: p.minLength, max: 128, message: t(`密码长度应为 ${p.minLength}–128 位`, `${p.minLength}–128 characters`) },
    {
      validator: (_: unknown, v?: string) =>
        !v || [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(v)).length >= p.minClasses
          ? Promise.resolve()
          : Promise.reject(
              new Error(
                t(
                  `须包含至少 ${p.minClasses} 类字符（大写、小写、数字、符号）`,
                  `Use ${p.minClasses} kinds of characters (upper, lower, digits, symbols)`,
                ),
              ),
            ),
    },
  ];
}
