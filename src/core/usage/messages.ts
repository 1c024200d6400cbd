// Texts of the usage report (report.ts, routes.ts). The figures' own headings come with the figures.
import type { Dictionary } from '../i18n/i18n.ts';

export const usageMessages: Dictionary = {
  fr: {
    'core.usage.title': 'Consommation par collectivité',
    'core.usage.intro':
      'Ce que chaque collectivité servie par {name} a utilisé pendant le mois : de quoi répartir le coût de l’hébergement entre ses membres. Les fichiers et les archives sont comptés à la fin du mois ; les comptes agents actifs sont ceux qui ont agi au moins une fois pendant le mois.',
    'core.usage.month': 'Mois',
    'core.usage.month_hint': 'Au format AAAA-MM, par exemple 2026-11.',
    'core.usage.show': 'Afficher',
    'core.usage.bad_month': 'Indiquez un mois au format AAAA-MM (entre 2000 et 2100).',
    'core.usage.collectivite': 'Collectivité',
    'core.usage.total': 'Total',
    'core.usage.share': 'part',
    'core.usage.csv': 'Télécharger le tableau (CSV)',
    'core.usage.caption': 'Consommation du mois {month}',
  },
  en: {
    'core.usage.title': 'Usage per collectivité',
    'core.usage.intro':
      'What each collectivité served by {name} used during the month: what you need to share the hosting costs among its members. Files and archives are counted at the end of the month; active staff accounts are those that acted at least once during the month.',
    'core.usage.month': 'Month',
    'core.usage.month_hint': 'As YYYY-MM, for example 2026-11.',
    'core.usage.show': 'Show',
    'core.usage.bad_month': 'Give a month as YYYY-MM (between 2000 and 2100).',
    'core.usage.collectivite': 'Collectivité',
    'core.usage.total': 'Total',
    'core.usage.share': 'share',
    'core.usage.csv': 'Download the table (CSV)',
    'core.usage.caption': 'Usage in {month}',
  },
};
