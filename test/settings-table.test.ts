import * as fs from 'fs';
import * as path from 'path';
import { SETTINGS as INFRA_SETTINGS } from '../infra/settings';
import {
  KNOWN_SETTINGS,
  STRICT_SETTINGS,
  checkSettingNames,
  settingTypos,
  settingsMarkdown,
} from '../apps/settings-table';
import { main } from '../apps/synth';
import { inDirectory, tempDir } from './harness';

describe('the settings table', () => {
  it('is what docs/settings.md shows (npm run docs:settings regenerates it)', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', 'docs', 'settings.md'), 'utf8')).toBe(settingsMarkdown());
  });

  it('lists every infrastructure variable, once, and every row has a type, default, effect and example', () => {
    const names = KNOWN_SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of INFRA_SETTINGS) expect(names).toContain(s.variable);
    for (const s of KNOWN_SETTINGS)
      for (const field of [s.type, s.default, s.effect, s.example]) expect(field).not.toBe('');
  });
});

describe('a variable a few letters from a setting', () => {
  it('is found, with the setting it is closest to; known names, far names and other tools’ variables are not', () => {
    expect(
      settingTypos({
        WORDPRES_RELEASE: 'current',
        MYSQL_PASWORD_FILE: 'x',
        WORDPRESS_RELEASE: 'tutorial',
        PATH: '/bin',
        HOME: '/root',
        NODE_OPTIONS: '',
      }),
    ).toEqual([
      { variable: 'MYSQL_PASWORD_FILE', meant: 'MYSQL_PASSWORD_FILE' },
      { variable: 'WORDPRES_RELEASE', meant: 'WORDPRESS_RELEASE' },
    ]);
  });

  it('compares without case, reaches two edits, prefers the closer of two settings, and skips unset variables', () => {
    expect(
      settingTypos({
        wordpress_releas: 'current', // case and one edit
        WORDPRES_RELEAS: 'current', // two edits
        GKE_REGIONAX: 'true', // one edit from GKE_REGIONAL, two from GKE_REGION, which the table lists first
        MYSQL_PASWORD_FILE: undefined,
      }),
    ).toEqual([
      { variable: 'GKE_REGIONAX', meant: 'GKE_REGIONAL' },
      { variable: 'WORDPRES_RELEAS', meant: 'WORDPRESS_RELEASE' },
      { variable: 'wordpress_releas', meant: 'WORDPRESS_RELEASE' },
    ]);
  });

  it('gets a warning by default, and an error naming the variable, value and rule when strict', () => {
    expect(checkSettingNames({ WORDPRES_RELEASE: 'current' })).toEqual([
      `WORDPRES_RELEASE is not a setting of this app; did you mean WORDPRESS_RELEASE? (docs/settings.md lists the settings) (${STRICT_SETTINGS}=1 makes this an error)`,
    ]);
    expect(() => checkSettingNames({ WORDPRES_RELEASE: 'current', [STRICT_SETTINGS]: '1' })).toThrow(
      `synth settings: WORDPRES_RELEASE is "current"; is not a setting of this app; did you mean WORDPRESS_RELEASE? (docs/settings.md lists the settings); refused because ${STRICT_SETTINGS}=1`,
    );
    expect(() => checkSettingNames({ [STRICT_SETTINGS]: 'yes' })).toThrow(
      `synth settings: ${STRICT_SETTINGS} is "yes"; must be "1" or unset`,
    );
  });

  it.each(['1', '0', ''])('takes %j for the strict switch when no variable is a typo', (value) => {
    expect(checkSettingNames({ [STRICT_SETTINGS]: value, WORDPRESS_RELEASE: 'current' })).toEqual([]);
  });

  it('is reported on every synth, and stops it before anything is written when strict', () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const outdir = tempDir('typo-');
    try {
      inDirectory(outdir, () => {
        expect(main(['infra'], { WORDPRES_RELEASE: 'current' }, io)).toBe(0);
        expect(lines).toContainEqual(
          expect.stringMatching(
            /^warning: WORDPRES_RELEASE is not a setting of this app; did you mean WORDPRESS_RELEASE\?/,
          ),
        );
        lines.length = 0;
        fs.rmSync('cdktf.out', { recursive: true, force: true });
        expect(main(['infra'], { WORDPRES_RELEASE: 'current', [STRICT_SETTINGS]: '1' }, io)).toBe(1);
        expect(lines).toEqual([expect.stringMatching(/^synth settings: WORDPRES_RELEASE is "current"; /)]);
        expect(fs.existsSync('cdktf.out')).toBe(false);
      });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
