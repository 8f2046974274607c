import { describe, expect, it } from '@jest/globals';
import { DEMO_AGENCIES, DEMO_TOOLS } from './demo-data.js';
import type { DemoTool } from './demo-tool.js';

// Words frequent in one of the demo's languages and absent from the others.
const FUNCTION_WORDS: Record<string, string[]> = {
  en: ['the', 'of', 'and', 'to', 'with', 'by', 'for', 'are'],
  es: ['el', 'los', 'las', 'del', 'y', 'con', 'una', 'para'],
  pt: ['os', 'do', 'da', 'dos', 'das', 'e', 'com', 'uma', 'não', 'ao', 'pelo', 'pela'],
  fr: ['le', 'les', 'des', 'du', 'et', 'est', 'une', 'avec', 'pour', 'sur', 'au'],
  nl: ['het', 'van', 'een', 'met', 'voor', 'op', 'wordt', 'bij', 'niet', 'zijn'],
};

/** The demo language whose function words a text uses most. */
function languageOf(text: string): string {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const score = (lang: string) => words.filter((word) => FUNCTION_WORDS[lang].includes(word)).length;
  return Object.keys(FUNCTION_WORDS).reduce((best, lang) => (score(lang) > score(best) ? lang : best));
}

const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

const agencyOf = (tool: DemoTool) => DEMO_AGENCIES.find((agency) => agency.key === tool.agency)!;
const languageDeclared = (tool: DemoTool) => (tool.language ?? agencyOf(tool).language).slice(0, 2);

describe('the demonstration data', () => {
  it('declares tools in five languages, each text in the language its tool is declared in', () => {
    expect(new Set(DEMO_TOOLS.map(languageDeclared))).toEqual(new Set(['es', 'pt', 'fr', 'en', 'nl']));
    for (const tool of DEMO_TOOLS) {
      const sections = {
        declaration: [tool.description, tool.purpose, tool.rationale, ...strings(tool.transparency), ...tool.legalBasis.map((basis) => basis.summary ?? '')],
        ...Object.fromEntries(Object.entries(tool.assessments ?? {}).map(([kind, content]) => [kind, strings(content)])),
        workflow: strings([tool.authorisation, tool.revise, tool.finding, tool.rejectedBecause]),
      };
      for (const [section, texts] of Object.entries(sections).filter(([, texts]) => texts.join('').length > 0)) {
        expect([tool.name, section, languageOf(texts.join(' '))]).toEqual([tool.name, section, languageDeclared(tool)]);
      }
    }
  });

  it('compares in each bias evaluation the groups it measured, and says how it mitigates a failed disparity', () => {
    const evaluations = DEMO_TOOLS.flatMap((tool) => (tool.assessments?.bias ? [{ tool: tool.name, bias: tool.assessments.bias as unknown as BiasEvaluation }] : []));
    expect(evaluations.filter(({ bias }) => bias.disparities.some((d) => d.status === 'fail')).length).toBeGreaterThanOrEqual(2);
    for (const { tool, bias } of evaluations) {
      const measured = bias.groups.map((g) => g.group);
      const compared = [bias.referenceGroup, ...bias.disparities.map((d) => d.group)];
      expect([tool, compared.filter((group) => !measured.includes(group))]).toEqual([tool, []]);
      if (bias.disparities.some((d) => d.status === 'fail')) expect([tool, bias.mitigations?.length ?? 0]).not.toEqual([tool, 0]);
    }
  });
});

interface BiasEvaluation {
  referenceGroup: string;
  groups: Array<{ group: string }>;
  disparities: Array<{ group: string; status: string }>;
  mitigations?: string[];
}
