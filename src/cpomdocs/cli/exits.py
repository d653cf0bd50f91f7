"""The « Codes de sortie » of every command's help, in one place: each says what its own
command does (code 3, the internal error, is added by exit_codes)."""

from __future__ import annotations

from cpomdocs.cli.common import exit_codes

BUILD_EXIT_CODES = exit_codes(
    "0  tous les documents ont été écrits",
    "1  au moins un contrat invalide ou un document en échec (les autres sont construits)",
    "2  commande mal formée (chemin introuvable, option invalide)",
)

MERGE_EXIT_CODES = exit_codes(
    "0  parts réunies",
    "1  écriture impossible dans le dossier de sortie",
    "2  commande mal formée (dossier qui n'est pas une part de « cpomdocs build », option",
    "   invalide)",
)

DOCX_EXIT_CODES = exit_codes(
    "0  modifications importées (ou rien à importer), ou rapport affiché avec --dry-run",
    "1  rien n'est écrit : DOCX illisible ou d'un autre contrat, dossier sans cpom.yaml,",
    "   modifications qui rendraient le contrat invalide",
    "2  commande mal formée (fichier .docx introuvable, option invalide)",
)

SCHEMA_EXIT_CODES = exit_codes(
    "0  schémas écrits (ou à jour, avec --check)",
    "1  avec --check : un schéma manque ou diffère des modèles",
    "2  commande mal formée (option invalide)",
)

SIGN_OFF_EXIT_CODES = exit_codes(
    "0  empreinte enregistrée dans chaque fichier",
    "1  fichier refusé : illisible ou invalide, au statut « projet », ou modifié depuis son",
    "   empreinte (sans --nouveau-contenu)",
    "2  commande mal formée (fichier introuvable, option invalide)",
)

DIFF_EXIT_CODES = exit_codes(
    "0  comparaison faite, qu'il y ait des différences ou non",
    "1  une des deux versions est illisible ou invalide (ses erreurs sont affichées)",
    "2  commande mal formée (source introuvable, option invalide)",
)

TEXTCONV_EXIT_CODES = exit_codes(
    "0  texte affiché ; d'un fichier illisible (YAML invalide, vide…), son texte tel quel, ses",
    "   erreurs sur la sortie d'erreur : git diff ne s'arrête pas sur lui",
    "1  ce n'est pas un fichier ordinaire (tube nommé, périphérique)",
    "2  commande mal formée (fichier introuvable, option invalide)",
)

PUBLISH_EXIT_CODES = exit_codes(
    "0  tout est publié (et vérifié, avec --trust)",
    "1  au moins un document n'a pas pu être publié (les autres le sont ; il garde sa",
    "   version publiée) ; ou, avec --trust, la nouvelle publication ne se vérifie pas, ou",
    "   l'autorité d'horodatage a failli (injoignable, erreur HTTP, refus, sans réponse) :",
    "   rien n'est alors publié, la publication précédente reste telle quelle",
    "2  commande mal formée (clé, mot de passe ou racine de confiance manquants, option",
    "   invalide)",
)

VERIFY_EXIT_CODES = exit_codes(
    "0  toutes les vérifications sont conformes",
    "1  au moins une vérification en échec",
    "2  commande mal formée (chemin introuvable, racine de confiance manquante ou illisible)",
)

EXPORT_EXIT_CODES = exit_codes(
    "0  classeurs écrits",
    "1  au moins un contrat invalide ou refusé (non exporté ; les autres le sont)",
    "2  commande mal formée (chemin introuvable, option invalide)",
)

IMPORT_EXIT_CODES = exit_codes(
    "0  valeurs importées (ou déjà présentes)",
    "1  au moins une cellule ignorée (les autres valeurs sont importées), ou classeur,",
    "   feuille, en-tête ou compte-rendu inutilisable (rien n'est écrit)",
    "2  commande mal formée (fichier ou dossier introuvable, option invalide)",
)

IMPORT_GROUP_EXIT_CODES = exit_codes(
    "0  données importées",
    "1  une partie des données n'est pas importée, ou rien n'est écrit : voir l'aide de",
    "   chaque commande",
    "2  commande mal formée (fichier introuvable, commande ou option invalide)",
)

INIT_EXIT_CODES = exit_codes(
    "0  fichiers écrits (ceux déjà présents sont conservés)",
    "1  au moins un fichier refusé (lien symbolique qui sort du dossier, un fichier là où un",
    "   dossier est attendu, écriture impossible)",
    "2  commande mal formée (option invalide)",
)

NEW_EXIT_CODES = exit_codes(
    "0  projet écrit",
    "2  rien n'est écrit : fichier déjà présent, nom de dossier refusé, contrat illisible ou",
    "   invalide (pour un avenant ou un compte-rendu), option invalide",
)
