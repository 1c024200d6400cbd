// Texts of invitations to a role, of the "confirm it is you" step before sensitive changes, French and
// English (kept apart from messages.ts so that this part of the module reads on its own).
import type { Dictionary } from '../i18n/i18n.ts';

export const authTrustMessages: Dictionary = {
  fr: {
    'auth.invitations.send': 'Envoyer l’invitation',
    'auth.invitations.email_hint': 'La personne reçoit un lien par courriel ; le rôle ne prend effet que lorsqu’elle l’accepte, connectée avec cette adresse.',
    'auth.invitations.error.too_many': 'Trop d’invitations ont été envoyées à cette adresse dans l’heure. Réessayez plus tard.',
    'auth.invitations.pending': 'Invitations en attente',
    'auth.invitations.expires': 'Expire le',
    'auth.invitations.revoke': 'Annuler l’invitation',
    'auth.invitations.mail.subject': 'Invitation à rejoindre {tenant} sur Bastide',
    'auth.invitations.mail.text':
      'Bonjour,\n\nUn administrateur de {tenant} vous propose le rôle « {role} ».\n\nPour l’accepter, ouvrez ce lien (valable {days} jours) et connectez-vous avec l’adresse {email} :\n{link}\n\nSi vous n’avez pas encore de compte, créez-le avec cette adresse, puis ouvrez de nouveau ce lien.\nSi vous ne vous attendiez pas à cette invitation, ignorez ce message : rien ne change sans votre accord.\n',
    'auth.invitations.title': 'Invitation',
    'auth.invitations.intro': '{tenant} vous propose le rôle « {role} ».',
    'auth.invitations.accept': 'Accepter le rôle',
    'auth.invitations.accept_note': 'En acceptant, vos autres sessions ouvertes sont fermées.',
    'auth.invitations.other_address':
      'Cette invitation a été envoyée à une autre adresse que celle de votre compte. Déconnectez-vous, puis connectez-vous avec l’adresse invitée.',
    'auth.invitations.sign_out': 'Se déconnecter',
    'auth.invitations.invalid_title': 'Invitation non valide',
    'auth.invitations.invalid_text':
      'Cette invitation n’est pas valide, a déjà servi, a été annulée ou a expiré. Demandez-en une nouvelle à l’administrateur de la collectivité.',
    'auth.members.unverified': 'adresse non vérifiée : ses rôles d’agent ou d’administration sont sans effet',
    'auth.notice.member_invited': 'L’invitation a été envoyée. Le rôle prendra effet quand la personne l’aura acceptée.',
    'auth.notice.invitation_revoked': 'L’invitation a été annulée.',
    'auth.notice.invitation_accepted': 'Vous avez accepté le rôle. Vos autres sessions ont été fermées.',
    'auth.confirm.title': 'Confirmez votre identité',
    'auth.confirm.intro': 'Cette modification est sensible : confirmez qu’il s’agit bien de vous. Vous reviendrez ensuite au formulaire.',
    'auth.confirm.submit': 'Confirmer',
    'auth.confirm.no_secret': 'Votre compte n’a pas de mot de passe : reconnectez-vous avec votre service d’identité, puis revenez au formulaire.',
    'auth.confirm.sign_in_again': 'Se reconnecter',
    'auth.confirm.bad_password': 'Mot de passe incorrect.',
  },
  en: {
    'auth.invitations.send': 'Send the invitation',
    'auth.invitations.email_hint': 'The person receives a link by email; the role takes effect only when they accept it, signed in with this address.',
    'auth.invitations.error.too_many': 'Too many invitations were sent to this address in the last hour. Try again later.',
    'auth.invitations.pending': 'Pending invitations',
    'auth.invitations.expires': 'Expires on',
    'auth.invitations.revoke': 'Cancel the invitation',
    'auth.invitations.mail.subject': 'Invitation to join {tenant} on Bastide',
    'auth.invitations.mail.text':
      'Hello,\n\nAn administrator of {tenant} offers you the role "{role}".\n\nTo accept it, open this link (valid {days} days) and sign in with the address {email}:\n{link}\n\nIf you have no account yet, create one with this address, then open this link again.\nIf you did not expect this invitation, ignore this message: nothing changes without your consent.\n',
    'auth.invitations.title': 'Invitation',
    'auth.invitations.intro': '{tenant} offers you the role "{role}".',
    'auth.invitations.accept': 'Accept the role',
    'auth.invitations.accept_note': 'Accepting closes your other open sessions.',
    'auth.invitations.other_address': 'This invitation was sent to another address than your account’s. Sign out, then sign in with the invited address.',
    'auth.invitations.sign_out': 'Sign out',
    'auth.invitations.invalid_title': 'Invalid invitation',
    'auth.invitations.invalid_text':
      'This invitation is not valid, was already used, was cancelled or has expired. Ask the local authority’s administrator for a new one.',
    'auth.members.unverified': 'address not verified: its staff roles have no effect',
    'auth.notice.member_invited': 'The invitation was sent. The role will take effect once the person accepts it.',
    'auth.notice.invitation_revoked': 'The invitation was cancelled.',
    'auth.notice.invitation_accepted': 'You accepted the role. Your other sessions were closed.',
    'auth.confirm.title': 'Confirm it is you',
    'auth.confirm.intro': 'This change is sensitive: confirm it is really you. You will then return to the form.',
    'auth.confirm.submit': 'Confirm',
    'auth.confirm.no_secret': 'Your account has no password: sign in again with your identity provider, then return to the form.',
    'auth.confirm.sign_in_again': 'Sign in again',
    'auth.confirm.bad_password': 'Wrong password.',
  },
};
