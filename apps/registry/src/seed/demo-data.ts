import type { DemoTool } from './demo-tool.js';
import { BE_PROSECUTION } from './tools/be-prosecution.js';
import { BR_POLICE } from './tools/br-police.js';
import { CARIBBEAN } from './tools/caribbean.js';
import { CL_PENITENTIARY } from './tools/cl-penitentiary.js';
import { CO_MINISTRY } from './tools/co-ministry.js';
import { CR_POLICE } from './tools/cr-police.js';
import { ES_PROSECUTION } from './tools/es-prosecution.js';
import { FR_POLICE } from './tools/fr-police.js';
import { MX_PROSECUTION } from './tools/mx-prosecution.js';
import { NL_BORDER } from './tools/nl-border.js';
import { PT_JUDICIARY } from './tools/pt-judiciary.js';

/**
 * Demonstration data: fictional agencies and the AI tools they declare, each declaration written
 * for its tool in the language its agency works in (tools/, one file per agency or region). The
 * agencies, providers, people and figures are invented; any likeness to a real system is a
 * coincidence. The laws cited are real, so that the legal bases read as they would.
 */

export interface DemoAgency {
  key: string;
  name: string;
  country: string;
  kind: 'police' | 'prosecution' | 'judiciary' | 'ministry' | 'penitentiary' | 'border' | 'customs' | 'financial_intelligence';
  /** The language its declarations are written in, unless a tool says otherwise. */
  language: string;
}

export const DEMO_AGENCIES: DemoAgency[] = [
  { key: 'cr-police', name: 'Policía Judicial de Aurora (ficticia)', country: 'CR', kind: 'police', language: 'es' },
  { key: 'es-prosecution', name: 'Fiscalía Provincial de Valdemar (ficticia)', country: 'ES', kind: 'prosecution', language: 'es' },
  { key: 'br-police', name: 'Polícia Civil de Serra Azul (fictícia)', country: 'BR', kind: 'police', language: 'pt-BR' },
  { key: 'pt-judiciary', name: 'Tribunal Judicial de Vale Claro (fictício)', country: 'PT', kind: 'judiciary', language: 'pt-PT' },
  { key: 'fr-police', name: 'Direction de la police de Belmont (fictive)', country: 'FR', kind: 'police', language: 'fr' },
  { key: 'be-prosecution', name: 'Parquet de Hautrive (fictif)', country: 'BE', kind: 'prosecution', language: 'fr' },
  { key: 'mx-prosecution', name: 'Fiscalía General de Tierra Alta (ficticia)', country: 'MX', kind: 'prosecution', language: 'es' },
  { key: 'co-ministry', name: 'Ministerio de Justicia de Nueva Esperanza (ficticio)', country: 'CO', kind: 'ministry', language: 'es' },
  { key: 'jm-police', name: 'Harbourside Constabulary (fictional)', country: 'JM', kind: 'police', language: 'en' },
  { key: 'tt-customs', name: 'Coral Bay Customs Division (fictional)', country: 'TT', kind: 'customs', language: 'en' },
  { key: 'nl-border', name: 'Grensbewaking Polderstad (fictief)', country: 'NL', kind: 'border', language: 'nl' },
  { key: 'cl-penitentiary', name: 'Gendarmería de Puerto Sereno (ficticia)', country: 'CL', kind: 'penitentiary', language: 'es' },
];

// In this order, so that references (CR-POL-0001…) stay the same from one demo to the next.
export const DEMO_TOOLS: DemoTool[] = [
  ...CR_POLICE,
  ...ES_PROSECUTION,
  ...BR_POLICE,
  ...PT_JUDICIARY,
  ...FR_POLICE,
  ...BE_PROSECUTION,
  ...MX_PROSECUTION,
  ...CO_MINISTRY,
  ...CARIBBEAN,
  ...NL_BORDER,
  ...CL_PENITENTIARY,
];
