/** The auth and setup modules' endpoints used by pages (sign-in, password change, first start). The session itself lives in lib/auth. */
import type { TMe } from '@server/modules/auth/auth.schema';
import type { TSetup } from '@server/modules/setup/setup.schema';
import { http } from '../../lib/api';

export const authApi = {
  login: (body: { username: string; password: string }) => http.post<TMe>('/api/auth/login', body),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    http.post<unknown>('/api/auth/password', body),
  /** First start: the district and the three administrators (三员); districtCode has a server default. */
  setup: (body: Omit<TSetup, 'districtCode'> & Partial<Pick<TSetup, 'districtCode'>>) =>
    http.post<unknown>('/api/setup', body),
};
