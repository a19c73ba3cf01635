/**
 * The grid's cell colours, read from public/app.css: every state has a fill and an ink of its own,
 * each ink at least 4.5:1 on its fill (WCAG 2 contrast, normal text), no two states share a fill,
 * and no state is drawn faded (opacity), which is how past hours once failed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../public/app.css', import.meta.url), 'utf8');
const STATES = ['open', 'free', 'pending', 'booked', 'closed', 'past'] as const;

function colour(name: string): string {
  const match = new RegExp(`--${name}:\\s*(#[0-9a-f]{6})\\s*;`, 'i').exec(css);
  if (!match) throw new Error(`--${name} is not a #rrggbb colour in app.css`);
  return match[1]!.toLowerCase();
}

/** WCAG 2 relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('grid cell colours', () => {
  it('gives every state an ink at least 4.5:1 on its fill', () => {
    const ratios = Object.fromEntries(
      STATES.map((state) => [
        state,
        Number(contrast(colour(`cell-${state}-ink`), colour(`cell-${state}-bg`)).toFixed(2)),
      ]),
    );
    console.log('cell contrast ratios (ink on fill):', ratios);
    for (const state of STATES) expect(ratios[state], state).toBeGreaterThanOrEqual(4.5);
  });

  it('gives every state a fill of its own', () => {
    const fills = STATES.map((state) => colour(`cell-${state}-bg`));
    expect(new Set(fills).size).toBe(STATES.length);
  });

  it('draws no state faded', () => {
    for (const state of STATES) {
      const rule = new RegExp(`\\.cell--${state}[^{]*\\{([^}]*)\\}`, 'g');
      for (const match of css.matchAll(rule)) expect(match[1], state).not.toMatch(/opacity/);
      expect(css).toMatch(new RegExp(`\\.cell--${state}[^{]*\\{[^}]*var\\(--cell-${state}-ink\\)`));
    }
  });

  it('computes contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
