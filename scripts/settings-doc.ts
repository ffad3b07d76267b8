// Writes docs/settings.md from the settings table (apps/settings-table.ts). test/settings-table.test.ts
// fails when the two disagree. Run: npm run docs:settings
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsMarkdown } from '../apps/settings-table';

writeFileSync(join(__dirname, '..', 'docs', 'settings.md'), settingsMarkdown());
