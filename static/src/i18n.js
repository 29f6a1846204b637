// Every string the interface shows comes from this dictionary, so a
// translation is complete when both tables have the same keys (checked by
// static/src/test/i18n.test.mjs).
import { load, save } from './storage.js'

export const dictionary = {
  en: {
    'app.name': 'commonpad',
    'app.noscript': 'commonpad needs JavaScript to edit a pad.',
    'skip.editor': 'Skip to the text',
    'lang.label': 'Language',
    'home.title': 'Write together',
    'home.lead': 'Create a pad, share its link, and everyone writes in the same text at the same time.',
    'home.create.heading': 'Create a pad',
    'home.create.titleLabel': 'Title (optional)',
    'home.create.titlePlaceholder': 'Meeting of 12 March',
    'home.create.submit': 'Create the pad',
    'home.create.busy': 'Creating…',
    'home.create.error': 'The pad could not be created: {reason}',
    'home.recent.heading': 'Recently opened on this device',
    'home.recent.empty': 'No pad opened on this device yet.',
    'home.recent.opened': 'opened {when}',
    'home.recent.readOnly': 'read-only',
    'home.recent.forget': 'Forget {title}',
    'pad.untitled': 'Untitled pad',
    'pad.editorLabel': 'Pad text',
    'pad.readOnlyNotice': 'You are viewing this pad read-only.',
    'pad.notFound': 'This pad does not exist.',
    'pad.tooLarge': 'This pad has reached its maximum size: new changes cannot be saved.',
    'pad.closed': 'The server closed the connection. Reload the page to try again.',
    'pad.openFull': 'Open in commonpad',
    'pad.home': 'commonpad home',
    'status.label': 'Connection',
    'status.connecting': 'Connecting…',
    'status.connected': 'Connected',
    'status.offline': 'Offline: your changes are kept on this device',
    'status.saving': 'Saving…',
    'status.saved': 'Saved',
    'status.readOnly': 'Read-only',
    'people.label': 'People present',
    'people.you': '{name} (you)',
    'people.count': '{n} present',
    'name.button': 'Your name: {name}',
    'name.heading': 'What is your name?',
    'name.help': 'Others see it next to your cursor. It is remembered on this device.',
    'name.label': 'Display name',
    'name.save': 'Save',
    'name.guest': 'Guest {n}',
    'toolbar.label': 'Formatting',
    'toolbar.bold': 'Bold',
    'toolbar.italic': 'Italic',
    'toolbar.strike': 'Strikethrough',
    'toolbar.heading1': 'Heading 1',
    'toolbar.heading2': 'Heading 2',
    'toolbar.heading3': 'Heading 3',
    'toolbar.bulletList': 'Bullet list',
    'toolbar.orderedList': 'Numbered list',
    'toolbar.blockquote': 'Quote',
    'toolbar.link': 'Link',
    'toolbar.undo': 'Undo',
    'toolbar.redo': 'Redo',
    'link.heading': 'Link',
    'link.label': 'Address (https://…, mailto:…)',
    'link.apply': 'Apply',
    'link.remove': 'Remove the link',
    'link.invalid': 'Only http, https and mailto addresses are allowed.',
    'dialog.cancel': 'Cancel',
    'dialog.close': 'Close',
    'share.button': 'Share',
    'share.heading': 'Share this pad',
    'share.edit': 'Edit link: anyone with it can write',
    'share.readOnly': 'Read-only link',
    'share.readOnlyUnavailable': 'The read-only link is not available yet.',
    'share.embed': 'Embed in a web page',
    'share.postit': 'Post-its from the room: scan to write a post-it on a phone',
    'share.qrLabel': 'QR code of {url}',
    'share.copy': 'Copy',
    'share.copyNamed': 'Copy: {what}',
    'share.copied': 'Copied',
    'postit.title': 'Post-it for the pad',
    'postit.lead': 'Write a short note: it appears at once under “Post-its” in the pad.',
    'postit.textLabel': 'Your post-it',
    'postit.textHelp': 'Up to 1000 characters. Ctrl+Enter sends it.',
    'postit.nameLabel': 'Your name (optional, remembered on this device)',
    'postit.send': 'Send the post-it',
    'postit.sending': 'Sending…',
    'postit.sent': 'Thank you! Your post-it is in the pad. You can write another one.',
    'postit.error.empty': 'Write something first.',
    'postit.error.invalid': 'This post-it was refused: check its length (1000 characters at most) and the name (60 at most).',
    'postit.error.readOnly': 'This link is read-only: ask for the pad’s post-it QR code.',
    'postit.error.finished': 'This pad is finished and takes no more post-its.',
    'postit.error.notFound': 'This pad does not exist.',
    'postit.error.full': 'This pad is full: no more post-its can be added.',
    'postit.error.tooMany': 'Too many post-its from this network: wait a minute, then try again.',
    'postit.error.network': 'The post-it could not be sent: check the connection and try again.',
    'postit.error.other': 'The post-it could not be saved. Try again in a moment.',
    'share.embedTitle': 'Pad {title}',
    'pad.finishedNotice': 'This pad is finished: it can no longer be changed.',
    'pad.unsaved': 'Your last changes were not saved: the pad was finished before the server received them. Copy your version of the text to keep them.',
    'pad.unsavedCopy': 'Copy my version',
    'pad.unsavedCopied': 'Your version of the text is in the clipboard.',
    'pad.unsavedSelect': 'The clipboard cannot be used here: your text is selected below, copy it with Ctrl+C (⌘+C on a Mac).',
    'pad.unsavedText': 'Your version of the text',
    'publish.button': 'Publish',
    'publish.heading': 'Publish this pad as a note',
    'publish.loading': 'Loading what the note would show…',
    'publish.loadError': 'The note could not be prepared: {reason}',
    'publish.existing': 'Already published (version {n}):',
    'publish.nextVersion': 'Publishing again makes version {n}.',
    'publish.titleLabel': 'Title of the note',
    'publish.authors': 'Authors',
    'publish.authorsHelp': 'Uncheck a name to leave it off the note.',
    'publish.noAuthors': 'Nobody has written in this pad under a name yet.',
    'publish.visibility': 'Who can find the note',
    'publish.unlisted': 'Unlisted: only people with the link',
    'publish.public': 'Public: listed on /notes and in the feed',
    'publish.finish': 'Mark the pad finished (read-only)',
    'publish.finishHelp': 'Nobody can change the pad afterwards; the note keeps its text.',
    'publish.submit': 'Publish',
    'publish.busy': 'Publishing…',
    'publish.done': 'Published as version {n}:',
    'publish.open': 'Open the note',
    'publish.error': 'The note could not be published: {reason}',
    'publish.network': 'the server cannot be reached'
  },
  fr: {
    'app.name': 'commonpad',
    'app.noscript': 'commonpad a besoin de JavaScript pour modifier un pad.',
    'skip.editor': 'Aller au texte',
    'lang.label': 'Langue',
    'home.title': 'Écrire ensemble',
    'home.lead': 'Créez un pad, partagez son lien, et tout le monde écrit dans le même texte en même temps.',
    'home.create.heading': 'Créer un pad',
    'home.create.titleLabel': 'Titre (facultatif)',
    'home.create.titlePlaceholder': 'Réunion du 12 mars',
    'home.create.submit': 'Créer le pad',
    'home.create.busy': 'Création…',
    'home.create.error': 'Le pad n’a pas pu être créé : {reason}',
    'home.recent.heading': 'Ouverts récemment sur cet appareil',
    'home.recent.empty': 'Aucun pad ouvert sur cet appareil pour l’instant.',
    'home.recent.opened': 'ouvert {when}',
    'home.recent.readOnly': 'lecture seule',
    'home.recent.forget': 'Oublier {title}',
    'pad.untitled': 'Pad sans titre',
    'pad.editorLabel': 'Texte du pad',
    'pad.readOnlyNotice': 'Vous consultez ce pad en lecture seule.',
    'pad.notFound': 'Ce pad n’existe pas.',
    'pad.tooLarge': 'Ce pad a atteint sa taille maximale : les nouvelles modifications ne peuvent pas être enregistrées.',
    'pad.closed': 'Le serveur a fermé la connexion. Rechargez la page pour réessayer.',
    'pad.openFull': 'Ouvrir dans commonpad',
    'pad.home': 'Accueil de commonpad',
    'status.label': 'Connexion',
    'status.connecting': 'Connexion…',
    'status.connected': 'Connecté',
    'status.offline': 'Hors ligne : vos modifications sont gardées sur cet appareil',
    'status.saving': 'Enregistrement…',
    'status.saved': 'Enregistré',
    'status.readOnly': 'Lecture seule',
    'people.label': 'Personnes présentes',
    'people.you': '{name} (vous)',
    'people.count': '{n} présent(s)',
    'name.button': 'Votre nom : {name}',
    'name.heading': 'Quel est votre nom ?',
    'name.help': 'Les autres le voient à côté de votre curseur. Il est gardé sur cet appareil.',
    'name.label': 'Nom affiché',
    'name.save': 'Enregistrer',
    'name.guest': 'Invité {n}',
    'toolbar.label': 'Mise en forme',
    'toolbar.bold': 'Gras',
    'toolbar.italic': 'Italique',
    'toolbar.strike': 'Barré',
    'toolbar.heading1': 'Titre 1',
    'toolbar.heading2': 'Titre 2',
    'toolbar.heading3': 'Titre 3',
    'toolbar.bulletList': 'Liste à puces',
    'toolbar.orderedList': 'Liste numérotée',
    'toolbar.blockquote': 'Citation',
    'toolbar.link': 'Lien',
    'toolbar.undo': 'Annuler',
    'toolbar.redo': 'Rétablir',
    'link.heading': 'Lien',
    'link.label': 'Adresse (https://…, mailto:…)',
    'link.apply': 'Appliquer',
    'link.remove': 'Retirer le lien',
    'link.invalid': 'Seules les adresses http, https et mailto sont acceptées.',
    'dialog.cancel': 'Annuler',
    'dialog.close': 'Fermer',
    'share.button': 'Partager',
    'share.heading': 'Partager ce pad',
    'share.edit': 'Lien d’édition : toute personne qui l’a peut écrire',
    'share.readOnly': 'Lien en lecture seule',
    'share.readOnlyUnavailable': 'Le lien en lecture seule n’est pas encore disponible.',
    'share.embed': 'Intégrer dans une page web',
    'share.postit': 'Post-its de la salle : scannez pour écrire un post-it sur un téléphone',
    'share.qrLabel': 'QR code de {url}',
    'share.copy': 'Copier',
    'share.copyNamed': 'Copier : {what}',
    'share.copied': 'Copié',
    'postit.title': 'Post-it pour le pad',
    'postit.lead': 'Écrivez une courte note : elle apparaît aussitôt sous « Post-its » dans le pad.',
    'postit.textLabel': 'Votre post-it',
    'postit.textHelp': 'Jusqu’à 1000 caractères. Ctrl+Entrée l’envoie.',
    'postit.nameLabel': 'Votre nom (facultatif, mémorisé sur cet appareil)',
    'postit.send': 'Envoyer le post-it',
    'postit.sending': 'Envoi…',
    'postit.sent': 'Merci ! Votre post-it est dans le pad. Vous pouvez en écrire un autre.',
    'postit.error.empty': 'Écrivez d’abord quelque chose.',
    'postit.error.invalid': 'Ce post-it a été refusé : vérifiez sa longueur (1000 caractères au plus) et le nom (60 au plus).',
    'postit.error.readOnly': 'Ce lien est en lecture seule : demandez le QR code des post-its du pad.',
    'postit.error.finished': 'Ce pad est terminé et n’accepte plus de post-its.',
    'postit.error.notFound': 'Ce pad n’existe pas.',
    'postit.error.full': 'Ce pad est plein : il n’accepte plus de post-its.',
    'postit.error.tooMany': 'Trop de post-its depuis ce réseau : attendez une minute, puis réessayez.',
    'postit.error.network': 'Le post-it n’a pas pu être envoyé : vérifiez la connexion et réessayez.',
    'postit.error.other': 'Le post-it n’a pas pu être enregistré. Réessayez dans un instant.',
    'share.embedTitle': 'Pad {title}',
    'pad.finishedNotice': 'Ce pad est terminé : il ne peut plus être modifié.',
    'pad.unsaved': 'Vos dernières modifications n’ont pas été enregistrées : le pad a été terminé avant que le serveur ne les reçoive. Copiez votre version du texte pour les garder.',
    'pad.unsavedCopy': 'Copier ma version',
    'pad.unsavedCopied': 'Votre version du texte est dans le presse-papiers.',
    'pad.unsavedSelect': 'Le presse-papiers n’est pas utilisable ici : votre texte est sélectionné ci-dessous, copiez-le avec Ctrl+C (⌘+C sur Mac).',
    'pad.unsavedText': 'Votre version du texte',
    'publish.button': 'Publier',
    'publish.heading': 'Publier ce pad comme note',
    'publish.loading': 'Préparation de la note…',
    'publish.loadError': 'La note n’a pas pu être préparée : {reason}',
    'publish.existing': 'Déjà publié (version {n}) :',
    'publish.nextVersion': 'Publier à nouveau crée la version {n}.',
    'publish.titleLabel': 'Titre de la note',
    'publish.authors': 'Auteurs',
    'publish.authorsHelp': 'Décochez un nom pour le retirer de la note.',
    'publish.noAuthors': 'Personne n’a encore écrit dans ce pad sous un nom.',
    'publish.visibility': 'Qui peut trouver la note',
    'publish.unlisted': 'Non listée : seulement les personnes qui ont le lien',
    'publish.public': 'Publique : listée sur /notes et dans le flux',
    'publish.finish': 'Marquer le pad comme terminé (lecture seule)',
    'publish.finishHelp': 'Plus personne ne pourra modifier le pad ; la note garde son texte.',
    'publish.submit': 'Publier',
    'publish.busy': 'Publication…',
    'publish.done': 'Publiée en version {n} :',
    'publish.open': 'Ouvrir la note',
    'publish.error': 'La note n’a pas pu être publiée : {reason}',
    'publish.network': 'le serveur est injoignable'
  }
}

export const languages = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' }
]

const langKey = 'commonpad.lang'
const listeners = new Set()
let current = initialLanguage()

// initialLanguage prefers the choice remembered on this device, then the
// browser's languages in order, then English.
function initialLanguage () {
  const saved = load(langKey)
  if (saved && dictionary[saved]) return saved
  const prefs = (typeof navigator !== 'undefined' && (navigator.languages || [navigator.language])) || []
  for (const tag of prefs) {
    const base = String(tag || '').toLowerCase().split('-')[0]
    if (dictionary[base]) return base
  }
  return 'en'
}

export function lang () { return current }

export function setLang (code) {
  if (!dictionary[code] || code === current) return
  current = code
  save(langKey, code)
  for (const fn of listeners) fn(code)
}

export function onLangChange (fn) {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

// t looks key up in the current language and fills {name} placeholders
// from vars. A missing key shows itself, which the browser tests catch.
export function t (key, vars) {
  const table = dictionary[current] || dictionary.en
  let s = table[key]
  if (s === undefined) s = dictionary.en[key]
  if (s === undefined) return key
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m))
  return s
}

// formatWhen renders a past date relative to now in the current language
// ("3 minutes ago", "il y a 3 minutes").
export function formatWhen (date, now = new Date()) {
  const secs = Math.round((date.getTime() - now.getTime()) / 1000)
  const abs = Math.abs(secs)
  const rtf = new Intl.RelativeTimeFormat(current, { numeric: 'auto' })
  if (abs < 60) return rtf.format(secs, 'second')
  if (abs < 3600) return rtf.format(Math.round(secs / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(secs / 3600), 'hour')
  if (abs < 86400 * 30) return rtf.format(Math.round(secs / 86400), 'day')
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium' }).format(date)
}
