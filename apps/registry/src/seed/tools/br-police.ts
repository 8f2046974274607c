import type { DemoTool } from '../demo-tool.js';

const PLANALTO = 'https://www.planalto.gov.br/';
const SUSP = { jurisdiction: 'BR', instrument: 'Lei nº 13.675/2018 (Sistema Único de Segurança Pública)', url: PLANALTO, summary: 'Organiza a atuação integrada dos órgãos de segurança pública e o uso de dados e tecnologia.' };

// Polícia Civil de Serra Azul (fictícia), Brazil: declarations in Brazilian Portuguese.
export const BR_POLICE: DemoTool[] = [
  {
    agency: 'br-police', name: 'Reconhecimento de placas veiculares',
    description: 'Lê placas de veículos em vias públicas e compara com listas de furtos.',
    purpose: 'Recuperar veículos furtados.',
    functions: ['lê placas em imagens de câmeras fixas', 'compara com o cadastro de veículos furtados ou roubados'],
    provider: ['Olho Digital Ltda.', 'BR'], version: '5.4', procurement: 'open_tender', regions: ['Serra Azul', 'Vale do Ipê'],
    risk: 'limited_risk', rationale: 'Compara placas, não pessoas, e não consta do anexo III; por cautela, a polícia cumpre os deveres de transparência do art. 50, informando a população por sinalização.',
    lifecycle: { status: 'in_use', inUseSince: '2022-05-01' }, crimeAreas: ['property_crime'],
    transparency: {
      modelType: 'Reconhecimento óptico de caracteres com rede neural, ajustado às placas do padrão Mercosul.',
      inputs: 'Imagens de 40 câmeras fixas em vias de acesso à cidade.',
      outputs: 'A placa lida, a hora, a câmera e, havendo correspondência, um alerta à central de operações.',
      performance: [{ metric: 'leituras corretas', value: '96,2 %', testConditions: 'Amostra de 10 000 passagens, dia e noite, com chuva' }],
      humanOversight: {
        interpretOutput: 'O alerta mostra a imagem da placa, para o operador conferir a leitura.',
        decideNotToUse: 'O operador descarta alertas de leituras duvidosas.',
        interveneOrStop: 'A central pode desligar câmeras ou o cruzamento com o cadastro.',
      },
      humanReview: 'O operador confere a imagem e consulta o cadastro antes de acionar uma viatura.',
      sourceCode: { availability: 'proprietary_closed' },
      logging: { retentionMonths: 6, description: 'Leituras sem correspondência são apagadas após 30 dias; alertas, após 6 meses.' },
      affectedPersons: {
        informationGiven: 'Placas nas vias informam a leitura automática de placas.',
        howToContest: 'O proprietário abordado pode registrar reclamação na Ouvidoria da Polícia Civil.',
      },
    },
    legalBasis: [
      { jurisdiction: 'BR', instrument: 'Código de Trânsito Brasileiro (Lei nº 9.503/1997)', url: PLANALTO },
      { jurisdiction: 'BR', instrument: 'Lei Geral de Proteção de Dados (Lei nº 13.709/2018)', article: 'Art. 4º, III', url: PLANALTO, summary: 'Exclui da LGPD o tratamento para segurança pública, que deve ser proporcional e regulado por lei própria.' },
    ],
    outcome: 'published',
    assessments: {
      dpia: {
        framework: 'led_art_27', completedOn: '2022-03-15', reference: 'RIPD-2022-07',
        summary: 'Leituras de placas revelam deslocamentos de pessoas; risco reduzido com apagamento em 30 dias das leituras sem correspondência e acesso apenas da central.',
        dpoConsulted: true, supervisoryAuthorityConsulted: true,
      },
    },
  },
  {
    agency: 'br-police', name: 'Mapa preditivo de ocorrências',
    description: 'Estima zonas com maior probabilidade de roubos por turno.',
    purpose: 'Distribuir o patrulhamento preventivo.',
    functions: ['estima a probabilidade de roubos por quadra e turno', 'sugere rotas de patrulhamento'],
    provider: ['GeoCrime Tecnologia', 'BR'], version: '3.2', procurement: 'direct_award', regions: ['Serra Azul'],
    risk: 'high_risk', annex: '6(d)',
    rationale: 'Estima lugares e não pessoas, mas orienta o policiamento sobre os moradores de cada bairro: a polícia o trata como de alto risco, numa leitura prudente do anexo III, ponto 6(d).',
    article5: { d: { performs: false, explanation: 'Não avalia pessoas: as previsões são por quadra e turno.' } },
    lifecycle: { status: 'in_use', pilotSince: '2025-03-01', inUseSince: '2025-08-01' }, crimeAreas: ['property_crime', 'violent_crime'],
    transparency: {
      modelType: 'Modelo espaço-temporal de pontos (processo de Hawkes) com variáveis urbanas.',
      inputs: 'Boletins de ocorrência de roubo dos últimos três anos, com local e hora, e dados urbanos (iluminação, comércio, transporte).',
      outputs: 'Um mapa por turno com as quadras de maior probabilidade, entregue aos comandantes de área.',
      performance: [{ metric: 'roubos nas 5 % de quadras indicadas', value: '31 %', testConditions: 'Teste retrospectivo com ocorrências de 2024' }],
      humanOversight: {
        understandCapacities: 'Os comandantes recebem um guia sobre os limites do modelo e o risco de retroalimentação.',
        automationBias: 'O mapa é uma de três fontes na reunião de planejamento, com a análise criminal e a escuta da comunidade.',
        interpretOutput: 'As cores indicam probabilidade relativa, não a presença de suspeitos.',
        decideNotToUse: 'O comandante de área pode ignorar o mapa e registra o motivo.',
        interveneOrStop: 'A Delegacia-Geral pode suspender o uso, como fez em 2025.',
      },
      humanReview: 'Os comandantes de área decidem o patrulhamento; o mapa não gera abordagens.',
      sourceCode: { availability: 'available_to_oversight' },
      logging: { retentionMonths: 12 },
      affectedPersons: {
        informationGiven: 'A polícia publica a cada trimestre os bairros mais indicados e as horas de patrulhamento.',
        howToContest: 'Moradores e associações de bairro podem reclamar à Ouvidoria da Polícia Civil e ao conselho comunitário de segurança.',
      },
    },
    legalBasis: [SUSP],
    outcome: 'published',
    assessments: {
      fria: {
        completedOn: '2025-02-20',
        processes: 'Planejamento diário do patrulhamento preventivo contra roubos.',
        periodAndFrequency: 'Um mapa por turno, três vezes ao dia.',
        affectedCategories: ['moradores dos bairros mais patrulhados', 'pessoas abordadas nesses bairros'],
        risksOfHarm: [
          { right: 'Igualdade (Constituição Federal, art. 5º)', risk: 'Mais patrulhamento, e por isso mais abordagens, em bairros pobres e de maioria negra.', likelihood: 'high', severity: 'high' },
          { right: 'Liberdade de locomoção (Constituição Federal, art. 5º, XV)', risk: 'Abordagens repetidas a moradores dos bairros indicados.', likelihood: 'medium', severity: 'medium' },
        ],
        humanOversight: 'O mapa é uma de três fontes de planejamento; o comandante decide e registra quando o ignora.',
        measuresIfRisksMaterialise: 'Suspensão pela Delegacia-Geral e recalibração; reclamações pela Ouvidoria.',
        marketSurveillanceNotified: false,
      },
      bias: {
        evaluatedOn: '2025-07-30',
        dataset: { description: 'Mapas gerados entre março e julho de 2025 e ocorrências registradas no mesmo período.', period: '2025', size: 1800 },
        sensitiveAttributes: [
          { attribute: 'renda média do bairro', howObtained: 'Censo demográfico, por setor censitário' },
          { attribute: 'cor ou raça predominante no bairro', howObtained: 'Censo demográfico, autodeclaração dos moradores' },
        ],
        referenceGroup: 'demais bairros',
        groups: [
          { group: 'demais bairros', n: 1120, selectionRate: 0.11, baseRate: 0.1 },
          { group: 'bairros com renda média abaixo de um salário mínimo', n: 410, selectionRate: 0.18, baseRate: 0.12 },
          { group: 'bairros de maioria preta e parda', n: 270, selectionRate: 0.16, baseRate: 0.11 },
        ],
        disparityMeasure: 'ratio',
        disparities: [
          { group: 'bairros com renda média abaixo de um salário mínimo', metric: 'selection_rate', value: 1.62, tolerance: 1.25, status: 'fail' },
          { group: 'bairros de maioria preta e parda', metric: 'selection_rate', value: 1.48, tolerance: 1.25, status: 'fail' },
        ],
        method: 'Razão entre a parcela de quadras indicadas em cada grupo de bairros e nos demais, comparada com a razão das taxas de ocorrência.',
        mitigations: ['Limite de patrulhamento adicional por bairro', 'Retirada das abordagens policiais dos dados de treino'],
      },
      huderia: {
        assessedOn: '2025-03-05',
        contextAnalysis: 'Cidade com forte segregação territorial e histórico de abordagens concentradas em alguns bairros.',
        stakeholderEngagement: 'Audiências com associações de moradores e com a Defensoria Pública.',
        impacts: [
          { impact: 'Retroalimentação: mais patrulhamento gera mais registros e mais indicação dos mesmos bairros.', scale: 'high', scope: 'group', probability: 'likely', reversibility: 'difficult' },
          { impact: 'Perda de confiança dos moradores na polícia.', scale: 'moderate', scope: 'society', probability: 'possible', reversibility: 'difficult' },
        ],
        mitigationPlan: 'Auditoria trimestral da distribuição por bairro e suspensão se a disparidade passar da tolerância.',
        nextReview: '2026-03-05',
      },
    },
    revise: { lifecycle: { status: 'suspended', pilotSince: '2025-03-01', inUseSince: '2025-08-01', suspendedSince: '2025-10-01' } },
    finding: {
      severity: 'critical', title: 'Retroalimentação de vieses',
      body: 'O modelo reforça o patrulhamento onde já havia mais registros.',
      answer: 'O uso foi suspenso em outubro de 2025; o modelo será retreinado sem os registros gerados por abordagens.',
      closing: 'Suspensão verificada na central de operações.',
    },
  },
  {
    agency: 'br-police', name: 'Triagem de denúncias anônimas',
    description: 'Classifica denúncias anônimas recebidas por telefone e aplicativo.',
    purpose: 'Encaminhar denúncias à delegacia competente.',
    provider: ['in-house', 'BR'], version: '0.3', procurement: 'in_house',
    risk: 'limited_risk', rationale: 'Classifica textos por assunto para encaminhamento; quem decide a apuração é sempre um policial.',
    lifecycle: { status: 'pilot', pilotSince: '2025-11-01' }, crimeAreas: ['general', 'drug_trafficking'],
    transparency: {
      modelType: 'Classificador de textos com modelo de linguagem pequeno.',
      inputs: 'O texto da denúncia anônima, transcrito quando recebida por telefone.',
      outputs: 'O assunto provável e a delegacia competente, para confirmação do atendente.',
      humanOversight: {
        decideNotToUse: 'O atendente pode encaminhar manualmente.',
        interveneOrStop: 'A coordenação do disque-denúncia pode desligar a triagem.',
      },
      humanReview: 'O atendente confirma cada encaminhamento.',
      sourceCode: { availability: 'open_source' },
      logging: { retentionMonths: 12 },
      affectedPersons: { howToContest: 'Quem for objeto de apuração pode reclamar à Ouvidoria da Polícia Civil.' },
    },
    legalBasis: [{ jurisdiction: 'BR', instrument: 'Lei nº 13.608/2018', url: PLANALTO, summary: 'Dispõe sobre o serviço telefônico de recebimento de denúncias e a proteção do informante.' }],
    outcome: 'draft',
  },
];
