/** The auth module's endpoints used by pages (sign-in, password change). The session itself lives in lib/auth. */
import type { TMe } from '@server/modules/auth/auth.schema';
import { http } from '../../lib/api';

export const authApi = {
  login: (body: { username: string; password: string }) => http.post<TMe>('/api/auth/login', body),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    http.post<unknown>('/api/auth/password', body),
};
