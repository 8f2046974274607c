/**
 * A record of the Dutch Algoritmeregister in the Publicatiestandaard v1.0.0 (fictional), as a
 * municipality or police region would publish it: for the import's documentation and tests.
 */
export function exampleNlRecord(): Record<string, string | string[]> {
  return {
    name: 'Prioritering van meldingen van woninginbraak',
    description_short: 'Het algoritme ordent nieuwe meldingen van woninginbraak naar de kans dat opsporing slaagt. Een medewerker beslist over elke melding.',
    organization: 'Politie Eenheid Voorbeeld (fictief)',
    theme: ['Openbare orde en veiligheid'],
    status: 'In gebruik',
    start_date: '2024-03',
    contact: 'algoritmes@voorbeeld.example',
    link: 'https://voorbeeld.example/algoritmes/inbraak',
    publication_category: 'Impactvolle algoritmes (Categorie B)',
    purpose_and_impact: 'Opsporingscapaciteit inzetten waar die het meeste oplevert; burgers merken het aan de volgorde waarin meldingen worden opgepakt.',
    considerations: 'De winst in doorlooptijd weegt op tegen het risico van ongelijke behandeling, dat maandelijks wordt gecontroleerd.',
    human_intervention: 'Een medewerker van de intake ziet de ordening en kan elke melding naar voren halen of terugzetten.',
    risk_management: 'Maandelijkse controle op verschillen tussen wijken; bij afwijkingen wordt het model stilgezet.',
    legal_basis: 'Politiewet 2012, art. 3: de taak van de politie.',
    legal_basis_link: 'https://wetten.overheid.nl/BWBR0031788',
    legal_basis_title: 'Politiewet 2012',
    impact_assessments: 'DPIA, IAMA',
    data: 'Gegevens uit de melding: tijdstip, plaats, soort woning, sporen.',
    technical_operation: 'Een logistisch regressiemodel op kenmerken van eerdere meldingen met bekende afloop.',
    supplier: 'Intern ontwikkeld',
    language: 'nld',
    schema: '1.0.0',
    source_id: 'PEV-ALG-0042',
    search_terms: 'inbraak, prioritering, opsporing',
  };
}
