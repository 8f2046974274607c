/**
 * Demonstration data: fictional agencies and the AI tools they declare, in the languages they
 * would write in. Every name here is invented; any likeness to a real system is a coincidence.
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

export type DemoOutcome = 'draft' | 'submitted' | 'published' | 'rejected';

export interface DemoTool {
  agency: string;
  name: string;
  description: string;
  purpose: string;
  provider: [string, string];
  risk: 'prohibited_practice_exception' | 'high_risk' | 'limited_risk' | 'minimal_risk' | 'outside_scope';
  annex?: string;
  lifecycle: 'planned' | 'pilot' | 'in_use' | 'suspended' | 'retired';
  since: string;
  crimeAreas: string[];
  outcome: DemoOutcome;
  /** When it differs from its agency's language. */
  language?: string;
  nonPublic?: boolean;
  /** Assessments to record before publication. */
  assessments?: Array<'fria' | 'bias' | 'bias_failed' | 'gender_impact' | 'huderia' | 'dpia'>;
  /** 'valid', 'expired' (a window that has ended) or 'expiring' (ends within 30 days). */
  authorisation?: 'valid' | 'expired' | 'expiring';
  /** A second published revision: what changed, and restricted fields redacted from then on. */
  revise?: {
    lifecycle?: DemoTool['lifecycle'];
    since?: string;
    description?: string;
    redact?: Array<{ field: string; reasonCode: 'investigation_integrity' | 'public_security' | 'third_party_rights'; reason: string }>;
  };
  finding?: { severity: 'low' | 'medium' | 'high' | 'critical'; title: string; body: string; then?: 'answered' | 'closed' };
}

export const DEMO_TOOLS: DemoTool[] = [
  // Costa Rica (es)
  { agency: 'cr-police', name: 'Transcriptor de entrevistas', description: 'Transcribe entrevistas grabadas a testigos para revisión humana.', purpose: 'Reducir el tiempo de transcripción; cada texto lo revisa un agente.', provider: ['Voz Clara S.A.', 'CR'], risk: 'limited_risk', lifecycle: 'in_use', since: '2024-03-01', crimeAreas: ['general'], outcome: 'published', assessments: ['dpia'] },
  { agency: 'cr-police', name: 'Priorizador de denuncias de violencia doméstica', description: 'Ordena las denuncias según el riesgo estimado de reincidencia.', purpose: 'Asignar primero las visitas de seguimiento de mayor riesgo.', provider: ['Analítica Segura Ltda.', 'CO'], risk: 'high_risk', annex: '6(d)', lifecycle: 'pilot', since: '2024-09-01',
    revise: {
      lifecycle: 'in_use', since: '2025-02-01', description: 'Ordena las denuncias según el riesgo estimado de reincidencia; un equipo especializado revisa cada caso.',
      redact: [{ field: 'transparency.trainingData', reasonCode: 'investigation_integrity', reason: 'Revelar el origen de los datos permitiría eludir la evaluación de riesgo.' }],
    }, crimeAreas: ['gender_based_violence'], outcome: 'published', assessments: ['fria', 'bias_failed', 'gender_impact'], finding: { severity: 'high', title: 'Disparidad por zona rural', body: 'La tasa de falsos negativos es mayor en zonas rurales. Explique las medidas.', then: 'answered' } },
  { agency: 'cr-police', name: 'Búsqueda de menores desaparecidos en cámaras', description: 'Identificación biométrica remota en tiempo real, solo bajo autorización judicial.', purpose: 'Localizar a menores desaparecidos en estaciones de transporte.', provider: ['BioVisión S.A.', 'ES'], risk: 'prohibited_practice_exception', annex: '1(a)', lifecycle: 'in_use', since: '2025-06-01', crimeAreas: ['missing_persons', 'child_sexual_abuse'], outcome: 'published', assessments: ['fria', 'huderia'], authorisation: 'expiring' },
  // Spain (es)
  { agency: 'es-prosecution', name: 'Asistente de anonimización de sentencias', description: 'Propone supresiones de datos personales en resoluciones antes de publicarlas.', purpose: 'Publicar resoluciones sin datos identificativos.', provider: ['in-house', 'ES'], risk: 'minimal_risk', lifecycle: 'in_use', since: '2023-09-15', crimeAreas: ['general'], outcome: 'published' },
  { agency: 'es-prosecution', name: 'Clasificador de atestados por delito', description: 'Sugiere la calificación jurídica inicial de los atestados recibidos.', purpose: 'Repartir los atestados entre secciones especializadas.', provider: ['LexMáquina S.L.', 'ES'], risk: 'high_risk', annex: '8(a)', lifecycle: 'pilot', since: '2025-10-01', crimeAreas: ['general', 'fraud'], outcome: 'published', assessments: ['fria', 'bias'] },
  { agency: 'es-prosecution', name: 'Detector de patrones de blanqueo', description: 'Señala operaciones inmobiliarias con patrones de blanqueo de capitales.', purpose: 'Apoyar la apertura de diligencias de investigación.', provider: ['Finanzas Claras S.A.', 'ES'], risk: 'high_risk', annex: '6(e)', lifecycle: 'planned', since: '2026-01-10', crimeAreas: ['money_laundering', 'corruption'], outcome: 'submitted', assessments: ['fria'] },
  // Brazil (pt)
  { agency: 'br-police', name: 'Reconhecimento de placas veiculares', description: 'Lê placas de veículos em vias públicas e compara com listas de furtos.', purpose: 'Recuperar veículos furtados.', provider: ['Olho Digital Ltda.', 'BR'], risk: 'limited_risk', lifecycle: 'in_use', since: '2022-05-01', crimeAreas: ['property_crime'], outcome: 'published', assessments: ['dpia'] },
  { agency: 'br-police', name: 'Mapa preditivo de ocorrências', description: 'Estima zonas com maior probabilidade de roubos por turno.', purpose: 'Distribuir o patrulhamento preventivo.', provider: ['GeoCrime Tecnologia', 'BR'], risk: 'high_risk', annex: '6(d)', lifecycle: 'in_use', since: '2025-08-01', crimeAreas: ['property_crime', 'violent_crime'], outcome: 'published', revise: { lifecycle: 'suspended' }, assessments: ['fria', 'bias_failed', 'huderia'], finding: { severity: 'critical', title: 'Retroalimentação de vieses', body: 'O modelo reforça o patrulhamento onde já havia mais registros.', then: 'closed' } },
  { agency: 'br-police', name: 'Triagem de denúncias anônimas', description: 'Classifica denúncias anônimas recebidas por telefone e aplicativo.', purpose: 'Encaminhar denúncias à delegacia competente.', provider: ['in-house', 'BR'], risk: 'limited_risk', lifecycle: 'pilot', since: '2025-11-01', crimeAreas: ['general', 'drug_trafficking'], outcome: 'draft' },
  // Portugal (pt)
  { agency: 'pt-judiciary', name: 'Pesquisa de jurisprudência semântica', description: 'Encontra acórdãos semelhantes ao processo em análise.', purpose: 'Apoiar magistrados na pesquisa de jurisprudência.', provider: ['JurisIA Lda.', 'PT'], risk: 'high_risk', annex: '8(a)', lifecycle: 'in_use', since: '2024-11-01', crimeAreas: ['general'], outcome: 'published', assessments: ['fria', 'gender_impact'] },
  { agency: 'pt-judiciary', name: 'Transcrição de audiências', description: 'Transcreve as gravações das audiências de julgamento.', purpose: 'Disponibilizar atas mais rapidamente às partes.', provider: ['Fala Certa SA', 'PT'], risk: 'limited_risk', lifecycle: 'in_use', since: '2023-04-01', crimeAreas: ['general'], outcome: 'published' },
  // France (fr)
  { agency: 'fr-police', name: "Analyse vidéo d'enregistrements saisis", description: 'Repère des objets et véhicules dans des vidéos saisies, a posteriori.', purpose: "Accélérer l'exploitation des vidéos dans les enquêtes.", provider: ['Vigie Analytique SAS', 'FR'], risk: 'high_risk', annex: '6(c)', lifecycle: 'in_use', since: '2024-06-01', crimeAreas: ['terrorism', 'organised_crime'], outcome: 'published', assessments: ['fria', 'dpia'], nonPublic: true },
  { agency: 'fr-police', name: 'Traduction automatique des auditions', description: 'Traduit les auditions de personnes non francophones, relues par un interprète.', purpose: "Disposer d'une traduction de travail en attendant l'interprète.", provider: ['Babel Pro SAS', 'FR'], risk: 'limited_risk', lifecycle: 'in_use', since: '2024-01-15', crimeAreas: ['general', 'human_trafficking'], outcome: 'published', finding: { severity: 'medium', title: "Absence de relecture systématique", body: "Certaines traductions ont été versées au dossier sans relecture." } },
  { agency: 'fr-police', name: 'Détection de fraudes aux prestations', description: 'Score de risque de fraude sur les déclarations de plainte pour vol.', purpose: 'Cibler les contrôles.', provider: ['ScoreFrance SAS', 'FR'], risk: 'high_risk', annex: '6(d)', lifecycle: 'planned', since: '2026-03-01', crimeAreas: ['fraud'], outcome: 'rejected' },
  // Belgium (fr / nl)
  { agency: 'be-prosecution', name: 'Tri des procès-verbaux de roulage', description: 'Regroupe les procès-verbaux de roulage par type d’infraction.', purpose: 'Traiter en série les infractions simples.', provider: ['in-house', 'BE'], risk: 'minimal_risk', lifecycle: 'in_use', since: '2022-02-01', crimeAreas: ['traffic_offences'], outcome: 'published' },
  { agency: 'be-prosecution', language: 'nl', name: 'Evaluatie van recidiverisico', description: 'Schat het risico op recidive bij voorwaardelijke invrijheidstelling.', purpose: 'Advies aan de strafuitvoeringsrechtbank.', provider: ['RisicoLab BV', 'NL'], risk: 'high_risk', annex: '8(a)', lifecycle: 'pilot', since: '2025-09-01', crimeAreas: ['violent_crime'], outcome: 'published', assessments: ['fria', 'bias', 'huderia'] },
  // Mexico (es)
  { agency: 'mx-prosecution', name: 'Identificación de vehículos robados en aduanas', description: 'Cruza números de serie con registros de robo.', purpose: 'Recuperar vehículos robados en cruces fronterizos.', provider: ['Datos del Norte S.A. de C.V.', 'MX'], risk: 'limited_risk', lifecycle: 'in_use', since: '2023-07-01', crimeAreas: ['property_crime', 'organised_crime'], outcome: 'published' },
  { agency: 'mx-prosecution', name: 'Reconocimiento facial en tiempo real en terminales', description: 'Identificación biométrica remota en tiempo real para búsqueda de víctimas de trata.', purpose: 'Localizar víctimas de trata identificadas por orden judicial.', provider: ['RostroSeguro S.A.', 'MX'], risk: 'prohibited_practice_exception', annex: '1(a)', lifecycle: 'in_use', since: '2025-03-01', crimeAreas: ['human_trafficking'], outcome: 'published', assessments: ['fria'], authorisation: 'expired' },
  { agency: 'mx-prosecution', name: 'Análisis de redes de llamadas', description: 'Reconstruye redes de contactos a partir de registros de llamadas intervenidos.', purpose: 'Apoyar investigaciones de delincuencia organizada.', provider: ['Grafo Inteligente', 'MX'], risk: 'high_risk', annex: '6(e)', lifecycle: 'in_use', since: '2024-09-01', crimeAreas: ['organised_crime', 'drug_trafficking'], outcome: 'published', assessments: ['fria'], nonPublic: true },
  // Colombia (es)
  { agency: 'co-ministry', name: 'Asignador de defensores públicos', description: 'Propone la asignación de defensores según carga y especialidad.', purpose: 'Equilibrar la carga de trabajo de la defensoría pública.', provider: ['in-house', 'CO'], risk: 'high_risk', annex: '8(a)', lifecycle: 'in_use', since: '2024-04-01', crimeAreas: ['general'], outcome: 'published', assessments: ['fria', 'gender_impact', 'bias'] },
  { agency: 'co-ministry', name: 'Chat de orientación jurídica', description: 'Responde preguntas frecuentes sobre trámites de justicia.', purpose: 'Orientar a la ciudadanía sobre dónde acudir.', provider: ['Conversa S.A.S.', 'CO'], risk: 'limited_risk', lifecycle: 'in_use', since: '2025-01-20', crimeAreas: ['general'], outcome: 'published' },
  // Jamaica (en)
  { agency: 'jm-police', name: 'Gunshot detection network', description: 'Acoustic sensors that locate probable gunshots and alert the control room.', purpose: 'Faster response to shootings.', provider: ['SoundGuard Ltd', 'GB'], risk: 'limited_risk', lifecycle: 'in_use', since: '2023-11-01', crimeAreas: ['violent_crime'], outcome: 'published' },
  { agency: 'jm-police', name: 'Case file summariser', description: 'Drafts summaries of long case files for supervisors.', purpose: 'Help supervisors review case progress.', provider: ['in-house', 'JM'], risk: 'minimal_risk', lifecycle: 'pilot', since: '2025-07-01', crimeAreas: ['general'], outcome: 'published' },
  { agency: 'jm-police', name: 'Gang association scoring', description: 'Scores the likelihood that a person is associated with a gang.', purpose: 'Prioritise intelligence work.', provider: ['Insight Analytics Inc.', 'US'], risk: 'high_risk', annex: '6(d)', lifecycle: 'planned', since: '2026-02-01', crimeAreas: ['organised_crime', 'violent_crime'], outcome: 'draft' },
  // Trinidad and Tobago (en)
  { agency: 'tt-customs', name: 'Container risk targeting', description: 'Scores incoming containers for inspection on cargo and route data.', purpose: 'Select containers for physical inspection.', provider: ['PortSense Ltd', 'NL'], risk: 'outside_scope', lifecycle: 'in_use', since: '2021-06-01', crimeAreas: ['drug_trafficking', 'organised_crime'], outcome: 'published' },
  { agency: 'tt-customs', name: 'X-ray image anomaly detector', description: 'Highlights anomalies in container X-ray images for officers.', purpose: 'Help officers read scans.', provider: ['ScanWise BV', 'NL'], risk: 'limited_risk', lifecycle: 'in_use', since: '2024-02-01', crimeAreas: ['drug_trafficking'], outcome: 'published' },
  // Netherlands (nl / en)
  { agency: 'nl-border', name: 'Documentcontrole aan de grens', description: 'Controleert echtheidskenmerken van reisdocumenten.', purpose: 'Vervalste documenten sneller herkennen.', provider: ['DocuCheck BV', 'NL'], risk: 'high_risk', annex: '7(d)', lifecycle: 'in_use', since: '2023-03-01', crimeAreas: ['migrant_smuggling'], outcome: 'published', assessments: ['fria', 'bias'] },
  { agency: 'nl-border', name: 'Risicoprofilering van reizigers', description: 'Rangschikt reizigers voor nadere controle op basis van reisgegevens.', purpose: 'Gerichte controles aan de buitengrens.', provider: ['ProfielData BV', 'NL'], risk: 'high_risk', annex: '7(b)', lifecycle: 'in_use', since: '2024-05-01', crimeAreas: ['migrant_smuggling', 'human_trafficking'], outcome: 'published', assessments: ['bias_failed', 'fria'], finding: { severity: 'high', title: 'Nationality as a proxy', body: 'Route features act as a proxy for nationality. Provide the disparity analysis by nationality.' } },
  { agency: 'nl-border', name: 'Emotieherkenning bij interviews', description: 'Experiment met emotieherkenning tijdens asielinterviews, stopgezet.', purpose: 'Stopgezet na interne toetsing.', provider: ['AffectAI BV', 'NL'], risk: 'high_risk', annex: '7(a)', lifecycle: 'retired', since: '2022-01-01', crimeAreas: ['general'], outcome: 'published', assessments: ['fria'] },
  // Chile (es)
  { agency: 'cl-penitentiary', name: 'Clasificación de riesgo penitenciario', description: 'Propone el régimen de seguridad inicial de las personas internas.', purpose: 'Apoyar la clasificación al ingreso.', provider: ['in-house', 'CL'], risk: 'high_risk', annex: '6(d)', lifecycle: 'in_use', since: '2022-08-01', crimeAreas: ['general'], outcome: 'published', assessments: ['fria', 'gender_impact'], finding: { severity: 'medium', title: 'Revisión de la clasificación de mujeres', body: 'Las mujeres reciben regímenes más restrictivos. Solicitamos un análisis de género actualizado.' } },
  { agency: 'cl-penitentiary', name: 'Detección de objetos prohibidos en paquetes', description: 'Detecta objetos prohibidos en imágenes de rayos X de encomiendas.', purpose: 'Evitar el ingreso de armas y drogas.', provider: ['RayosIA SpA', 'CL'], risk: 'minimal_risk', lifecycle: 'in_use', since: '2024-10-01', crimeAreas: ['drug_trafficking'], outcome: 'published' },
  { agency: 'cl-penitentiary', name: 'Monitoreo de llamadas de internos', description: 'Transcribe y marca llamadas de internos para revisión.', purpose: 'Detectar coordinación de delitos desde prisión.', provider: ['EscuchaSegura SpA', 'CL'], risk: 'high_risk', annex: '6(e)', lifecycle: 'pilot', since: '2025-12-01', crimeAreas: ['organised_crime'], outcome: 'submitted', assessments: ['fria', 'dpia'] },
];
