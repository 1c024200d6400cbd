// The network's entry in the register of processing of personal data ("registre des traitements", shown on
// the collectivité's /legal/donnees-personnelles page): the seats of its bodies name elected officials and
// agents of its member collectivités. Only a network keeps them, so only a network's register lists it.
import type { AppDeps } from '../../../core/module.ts';

export async function networkPrivacyRegister(deps: AppDeps, tenantId: string): Promise<Array<{ name: string; purpose: string }>> {
  const tenant = await deps.db.transaction(null, (tx) => tx.one<{ kind: string }>('select kind from tenants where id = $1', [tenantId]));
  if (tenant?.kind !== 'network') return [];
  return [
    {
      name: 'Réseau : sièges des instances (élus et agents des collectivités membres)',
      purpose:
        'Faire connaître la composition des instances du réseau (conseil d’administration, commissions, groupes de travail) : pour chaque siège, la collectivité membre, la fonction (par exemple co-présidente), le nom et la qualité de l’élu ou de l’agent qui l’occupe et les dates de son mandat. Données saisies par le secrétariat du réseau à partir des désignations des collectivités membres ; publiées sur la page de l’instance ; chaque ajout, modification ou suppression est inscrit au journal du réseau. Conservées tant que l’instance existe, pour son historique ; la personne peut demander au secrétariat la rectification ou la suppression de son nom, que le secrétariat fait depuis la page de gestion de l’instance.',
    },
  ];
}
