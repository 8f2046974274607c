import type { DemoTool } from '../demo-tool.js';

const DRE = 'https://diariodarepublica.pt/';

// Tribunal Judicial de Vale Claro (fictício), Portugal: declarations in European Portuguese.
export const PT_JUDICIARY: DemoTool[] = [
  {
    agency: 'pt-judiciary', name: 'Pesquisa de jurisprudência semântica',
    description: 'Encontra acórdãos semelhantes ao processo em análise.',
    purpose: 'Apoiar magistrados na pesquisa de jurisprudência.',
    functions: ['pesquisa acórdãos por semelhança de sentido', 'resume a questão decidida em cada acórdão'],
    provider: ['JurisIA Lda.', 'PT'], version: '2.0', procurement: 'framework_agreement',
    risk: 'high_risk', annex: '8(a)', rationale: 'Assiste os juízes na pesquisa e interpretação do direito (anexo III, ponto 8(a)).',
    lifecycle: { status: 'in_use', pilotSince: '2024-05-01', inUseSince: '2024-11-01' }, crimeAreas: ['general'],
    transparency: {
      modelType: 'Modelo de linguagem de incorporações (embeddings) com pesquisa vetorial; os resumos são gerados por um modelo de linguagem de grande dimensão.',
      techniques: ['pesquisa semântica', 'geração de resumos com citação das passagens'],
      inputs: 'Uma descrição da questão jurídica escrita pelo magistrado, ou excertos das peças processuais.',
      outputs: 'Uma lista de acórdãos publicados, do mais ao menos semelhante, cada um com um resumo e a ligação ao texto integral.',
      performance: [{ metric: 'acórdãos relevantes entre os 10 primeiros', value: '7,4 em média', testConditions: '120 questões preparadas por juízes auxiliares' }],
      explainability: 'Cada resumo cita as passagens do acórdão em que se baseia.',
      humanOversight: {
        understandCapacities: 'Formação no Centro de Estudos Judiciários sobre o funcionamento e os limites da pesquisa.',
        automationBias: 'O ecrã lembra que a lista não é exaustiva e que os resumos podem conter erros.',
        interpretOutput: 'A semelhança é mostrada como ordem, não como percentagem.',
        decideNotToUse: 'O magistrado pode usar as bases de dados tradicionais a qualquer momento.',
        interveneOrStop: 'O juiz presidente da comarca pode suspender o serviço.',
      },
      humanReview: 'O magistrado lê os acórdãos que cita; a decisão é sempre sua.',
      sourceCode: { availability: 'available_to_oversight' },
      logging: { retentionMonths: 12 },
      affectedPersons: {
        informationGiven: 'A decisão não refere a ferramenta, porque se limita a pesquisa de jurisprudência pública.',
        howToContest: 'As partes podem recorrer da decisão pelos meios processuais comuns.',
      },
    },
    legalBasis: [{ jurisdiction: 'PT', instrument: 'Lei da Organização do Sistema Judiciário (Lei n.º 62/2013)', url: DRE, summary: 'Atribui aos órgãos de gestão das comarcas a organização dos meios de apoio aos magistrados.' }],
    outcome: 'published',
    assessments: {
      fria: {
        completedOn: '2024-10-10',
        processes: 'Pesquisa de jurisprudência na preparação de despachos e sentenças.',
        periodAndFrequency: 'Sempre que um magistrado a use; cerca de 400 pesquisas por semana.',
        affectedCategories: ['partes nos processos', 'arguidos'],
        risksOfHarm: [
          { right: 'Direito a um tribunal imparcial (Carta, art. 47)', risk: 'Resumos errados que levem a citar jurisprudência fora de contexto.', likelihood: 'medium', severity: 'medium' },
          { right: 'Igualdade (Carta, art. 20)', risk: 'Reforço de linhas de jurisprudência mais antigas, mais representadas no arquivo.', likelihood: 'low', severity: 'medium' },
        ],
        humanOversight: 'O magistrado lê sempre o acórdão integral antes de o citar.',
        measuresIfRisksMaterialise: 'Correção dos resumos, aviso aos utilizadores e, se necessário, suspensão pelo juiz presidente.',
        marketSurveillanceNotified: true,
      },
      gender_impact: {
        assessedOn: '2024-10-15', relevance: 'relevant',
        rationale: 'A jurisprudência sobre violência doméstica e regulação das responsabilidades parentais pode reproduzir estereótipos de género.',
        sexDisaggregatedData: { available: false, description: 'Os acórdãos publicados estão anonimizados; o sexo das partes não é registado.' },
        analysis: 'Numa amostra de 200 pesquisas sobre violência doméstica, os acórdãos mais antigos, com linguagem estereotipada, apareceram com a mesma frequência que os recentes.',
        expectedEffect: 'maintains', intersectionalFactors: ['idade das vítimas', 'nacionalidade'],
        proposals: ['Dar prioridade aos acórdãos posteriores à Convenção de Istambul nas pesquisas sobre violência doméstica.', 'Assinalar os acórdãos revogados em recurso.'],
        oecdDacMarker: 0, markerCriteria: 'A igualdade de género não é objetivo da ferramenta; a avaliação procura apenas evitar efeitos negativos.',
      },
    },
  },
  {
    agency: 'pt-judiciary', name: 'Transcrição de audiências',
    description: 'Transcreve as gravações das audiências de julgamento.',
    purpose: 'Disponibilizar atas mais rapidamente às partes.',
    provider: ['Fala Certa SA', 'PT'], version: '6.1', procurement: 'open_tender',
    risk: 'limited_risk', rationale: 'Gera texto a partir do som das audiências para apoio dos oficiais de justiça; aplicam-se os deveres de transparência do art. 50.',
    lifecycle: { status: 'in_use', inUseSince: '2023-04-01' }, crimeAreas: ['general'],
    transparency: {
      modelType: 'Reconhecimento automático de fala treinado com português europeu.',
      inputs: 'As gravações áudio das audiências, por intervenção.',
      outputs: 'Uma transcrição provisória com a identificação de cada interveniente, assinalada como automática.',
      performance: [{ metric: 'taxa de erro por palavra', value: '9,3 %', testConditions: '80 horas de audiências de 2022, salas com microfones de mesa' }],
      humanOversight: {
        automationBias: 'A transcrição é marcada como provisória até ser conferida.',
        decideNotToUse: 'As partes podem pedir a audição da gravação, que prevalece sempre sobre o texto.',
        interveneOrStop: 'A secretaria pode deixar de usar o serviço.',
      },
      humanReview: 'Um oficial de justiça confere as passagens pedidas pelas partes com a gravação.',
      sourceCode: { availability: 'proprietary_closed' },
      logging: { retentionMonths: 12 },
      affectedPersons: {
        informationGiven: 'As partes são informadas de que a transcrição é automática e de que a gravação é o registo oficial.',
        howToContest: 'Qualquer parte pode requerer a correção da transcrição ao juiz do processo.',
      },
    },
    legalBasis: [{ jurisdiction: 'PT', instrument: 'Código de Processo Penal', article: 'Art. 364.º', url: DRE, summary: 'A documentação das declarações prestadas oralmente em audiência faz-se por gravação.' }],
    outcome: 'published',
  },
];
