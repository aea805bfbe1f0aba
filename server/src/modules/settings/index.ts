/** Settings module: typed application settings (app_settings) shared by every instance. */
import { defineModule } from '../../platform/module.js';
import * as tables from './settings.table.js';

export { getSetting, hasSetting, setSetting, settingOrInit } from './settings.service.js';

export const settingsModule = defineModule({ name: 'settings', routes: [], tables, permissions: [] });
