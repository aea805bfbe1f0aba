import { App } from './App';
import { AuthProvider } from './lib/auth';
import { renderShell } from './lib/shell';

renderShell(
  <AuthProvider>
    <App />
  </AuthProvider>,
);
