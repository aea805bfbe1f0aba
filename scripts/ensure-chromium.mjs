// Installs Debian's Chromium and CJK fonts for the e2e tests when they are missing (needs root and apt).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const haveChromium = existsSync('/usr/bin/chromium');
const haveFonts = existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc');
if (!haveChromium || !haveFonts) {
  console.log('installing chromium and fonts-noto-cjk with apt-get…');
  execSync(
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk > /dev/null',
    { stdio: 'inherit', shell: '/bin/bash' },
  );
}
