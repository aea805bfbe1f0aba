import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError, currentLang } from './api';
import '../styles/print.css';

/**
 * What both entries share (the signed-in app, main.tsx, and the citizens' pages, public-main.tsx):
 * language, theme, the query client and the router around `children`, rendered into #root.
 */
export function renderShell(children: ReactNode): void {
  const lang = currentLang();
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2, refetchOnWindowFocus: false },
    },
  });
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ConfigProvider
        locale={lang === 'en' ? enUS : zhCN}
        theme={{ token: { colorPrimary: '#b71c1c', borderRadius: 4 } }}
      >
        <AntApp>
          <QueryClientProvider client={queryClient}>
            <BrowserRouter>{children}</BrowserRouter>
          </QueryClientProvider>
        </AntApp>
      </ConfigProvider>
    </StrictMode>,
  );
}
