// The error translator catalogue: one entry per diagnosis, in German and English.
// Over 400 lines on purpose: a table, one entry per id and language; splitting it would scatter a diagnosis's two texts and the id list.
// shared/i18n/resources.ts serves `diagnosticCatalogue[lang]` as the i18next namespace `diagnostics`
// (keys `<id>.title`, `<id>.advice`); the core's classifier (electron/core/diagnostics/classify.ts)
// picks the id and fills the `{{params}}`. Titles put the status first, in plain language;
// advice says what to do, step by step where that helps. No Node built-ins here (browser code).

export const DIAGNOSTIC_IDS = [
  // Entra ID (AADSTS codes)
  'aad-secret-invalid',
  'aad-secret-id-pasted',
  'aad-secret-expired',
  'aad-secret-missing',
  'aad-certificate-not-registered',
  'aad-certificate-expired',
  'aad-certificate-signature-invalid',
  'aad-certificate-missing',
  'aad-assertion-time-range',
  'aad-assertion-audience',
  'aad-assertion-issuer',
  'aad-app-not-found',
  'aad-tenant-not-found',
  'aad-missing-parameter',
  'aad-invalid-scope',
  'aad-scope-not-default',
  'aad-consent-missing',
  'aad-consent-declined',
  'aad-redirect-uri-mismatch',
  'aad-public-client-not-allowed',
  'aad-public-client-sent-secret',
  'aad-wrong-password',
  'aad-mfa-required',
  'aad-mfa-registration-required',
  'aad-conditional-access',
  'aad-refresh-token-inactive',
  'aad-grant-revoked',
  'aad-grant-expired',
  'aad-user-not-found',
  'aad-user-disabled',
  'aad-account-locked',
  'aad-password-expired',
  'aad-user-foreign-tenant',
  'aad-single-tenant-common',
  'aad-code-redeemed',
  'aad-pkce-mismatch',
  'aad-resource-not-found',
  'aad-cross-cloud',
  'aad-cloud-mismatch',
  // OAuth error classes (fallbacks when the AADSTS number is unknown or absent)
  'oauth-invalid-client',
  'oauth-invalid-grant',
  'oauth-unauthorized-client',
  'oauth-invalid-request',
  'oauth-invalid-scope',
  'oauth-invalid-resource',
  'oauth-access-denied',
  'oauth-interaction-required',
  'oauth-consent-required',
  'oauth-login-required',
  'oauth-temporarily-unavailable',
  'oauth-server-error',
  // Microsoft Graph
  'graph-access-denied',
  'graph-mailbox-not-allowed',
  'graph-mailbox-read-not-checked',
  'graph-insufficient-privileges',
  'graph-invalid-user',
  'graph-resource-not-found',
  'graph-mailbox-not-enabled',
  'graph-send-as-denied',
  'graph-token-invalid',
  'graph-bad-message',
  'graph-submission-blocked',
  'graph-message-limit',
  'graph-request-too-large',
  'graph-quota-exceeded',
  'graph-throttled',
  'graph-throttled-unspecified',
  'graph-unavailable',
  'graph-send-outcome-unknown',
  'graph-server-error',
  'graph-unexpected-response',
  'graph-request-failed',
  // Restriction probe (the app should be refused on a second mailbox)
  'probe-restricted',
  'probe-not-restricted',
  // Network
  'net-dns',
  'net-refused',
  'net-reset',
  'net-unreachable',
  'net-timeout',
  'net-timeout-generic',
  'net-tls-untrusted',
  'net-tls-expired',
  'net-tls-hostname',
  'net-tls-other',
  'net-proxy',
  'net-proxy-server',
  'net-failed',
  // MSAL client side
  'msal-missing-tenant',
  'msal-endpoints-resolution',
  'msal-throttled',
  'msal-invalid-response',
  'msal-state-mismatch',
  'msal-nonce-mismatch',
  'msal-no-account',
  'msal-configuration',
  'user-cancelled',
  // Interactive sign-in (Modern Authentication): set by the sign-in flow itself
  'auth-wrong-account',
  'signin-host-blocked',
  // Last resort
  'unknown',
] as const;

export type DiagnosticId = (typeof DIAGNOSTIC_IDS)[number];

// A type, not an interface: it must fit shared/i18n's resource tree (an index signature).
export type DiagnosticText = {
  /** Status first, plain language. */
  title: string;
  /** The concrete fix. */
  advice: string;
};

export type DiagnosticLanguage = 'de' | 'en';

/**
 * Ids that `classifyError` never returns because no error exists for them; the caller sets them.
 * - `probe-not-restricted`: the restriction probe's sendMail to a second mailbox was accepted (202).
 * - `auth-wrong-account`: the sign-in succeeded, but as another account than the profile's sender.
 * - `signin-host-blocked`: the sign-in window refused to show a page outside its host allowlist.
 * - `aad-certificate-missing`: a certificate profile has no key in the vault, so no token request is made.
 * - `aad-cloud-mismatch`: another cloud's OpenID discovery knows the tenant the token request was refused for.
 */
export const CALLER_SET_DIAGNOSTIC_IDS = [
  'aad-certificate-missing',
  'probe-not-restricted',
  'auth-wrong-account',
  'signin-host-blocked',
  'aad-cloud-mismatch',
] as const satisfies readonly DiagnosticId[];

export function isDiagnosticId(value: string): value is DiagnosticId {
  return (DIAGNOSTIC_IDS as readonly string[]).includes(value);
}

const APP_DE = 'Microsoft Entra Admin Center › App-Registrierungen › (Ihre App)';
const APP_EN = 'Microsoft Entra admin center › App registrations › (your app)';

const de: Record<DiagnosticId, DiagnosticText> = {
  'aad-secret-invalid': {
    title: 'Der geheime Clientschlüssel ist falsch',
    advice: `Entra kennt diesen Schlüssel für die App nicht. Legen Sie einen neuen an: ${APP_DE} › Zertifikate & Geheimnisse › Neuer geheimer Clientschlüssel. Kopieren Sie sofort den „Wert“ (nicht die „Geheime ID“), fügen Sie ihn hier ein, speichern Sie und löschen Sie danach den alten Schlüssel in Entra.`,
  },
  'aad-secret-id-pasted': {
    title: 'Statt des Werts wurde die „Geheime ID“ eingefügt',
    advice: `Der gespeicherte Schlüssel hat die Form einer GUID – das ist die „Geheime ID“, nicht der „Wert“. Entra zeigt den Wert nur einmal direkt nach dem Anlegen. Legen Sie unter ${APP_DE} › Zertifikate & Geheimnisse › Neuer geheimer Clientschlüssel einen neuen an, kopieren Sie den „Wert“, fügen Sie ihn hier ein und löschen Sie den ungenutzten Schlüssel.`,
  },
  'aad-secret-expired': {
    title: 'Der geheime Clientschlüssel ist abgelaufen',
    advice: `Erneuern Sie ihn in Entra: ${APP_DE} › Zertifikate & Geheimnisse › Neuer geheimer Clientschlüssel (höchstens 24 Monate, empfohlen unter 12). Fügen Sie den „Wert“ hier ein, tragen Sie das neue Ablaufdatum ein, speichern Sie und löschen Sie danach den abgelaufenen Schlüssel.`,
  },
  'aad-secret-missing': {
    title: 'Es wurde kein geheimer Clientschlüssel gesendet',
    advice:
      'Für dieses Profil ist kein geheimer Clientschlüssel gespeichert, oder er ist leer. Fügen Sie den „Wert“ aus Entra › Zertifikate & Geheimnisse ein und speichern Sie.',
  },
  'aad-certificate-not-registered': {
    title: 'Das Zertifikat ist in der App nicht hochgeladen',
    advice: `Entra kennt kein Zertifikat mit dem SHA-256-Fingerabdruck {{thumbprint}} für diese App. Exportieren Sie das Zertifikat hier (.cer) und laden Sie es hoch: ${APP_DE} › Zertifikate & Geheimnisse › Zertifikate › Zertifikat hochladen. Entra zeigt danach Hochladedatum und Fingerabdruck; vergleichen Sie ihn mit dem hier angezeigten. Prüfen Sie auch, ob Anwendungs-ID (Client) und Mandant zur App gehören, in die Sie hochgeladen haben.`,
  },
  'aad-certificate-expired': {
    title: 'Das in Entra hochgeladene Zertifikat ist abgelaufen',
    advice: `Entra nimmt das Zertifikat mit dem Fingerabdruck {{thumbprint}} nicht mehr an, weil es abgelaufen ist. Erstellen Sie hier ein neues Zertifikat, laden Sie es unter ${APP_DE} › Zertifikate & Geheimnisse › Zertifikate › Zertifikat hochladen hoch, testen Sie die Verbindung und entfernen Sie danach das abgelaufene Zertifikat in Entra.`,
  },
  'aad-certificate-signature-invalid': {
    title: 'Die Signatur mit dem Zertifikat ist ungültig',
    advice: `Entra hat ein Zertifikat mit diesem Fingerabdruck, aber die Anmeldung war nicht mit dessen privatem Schlüssel signiert. Meist wurde in Entra ein anderes Zertifikat hochgeladen oder hier ein anderes importiert. Vergleichen Sie den Fingerabdruck unter ${APP_DE} › Zertifikate & Geheimnisse › Zertifikate mit dem hier angezeigten; laden Sie sonst das hier exportierte Zertifikat erneut hoch.`,
  },
  'aad-certificate-missing': {
    title: 'Für dieses Profil ist kein Zertifikat gespeichert',
    advice:
      'Erstellen Sie hier ein Zertifikat (empfohlen) oder importieren Sie eine PFX- bzw. PEM-Datei, speichern Sie und laden Sie das Zertifikat in Entra unter Zertifikate & Geheimnisse › Zertifikate › Zertifikat hochladen hoch.',
  },
  'aad-assertion-time-range': {
    title: 'Die Uhr dieses Computers geht falsch (Anmeldenachweis nicht gültig)',
    advice:
      'Entra hat den mit dem Zertifikat signierten Anmeldenachweis abgelehnt, weil er nach der Uhr von Microsoft noch nicht oder nicht mehr gültig war. Stellen Sie die Uhrzeit dieses Computers automatisch ein (Windows: Einstellungen › Zeit und Sprache › Datum und Uhrzeit › „Uhrzeit automatisch festlegen“, in der Domäne über den Domänencontroller) und testen Sie erneut.',
  },
  'aad-assertion-audience': {
    title: 'Der Anmeldenachweis nennt einen anderen Mandanten',
    advice:
      'Entra erwartet im signierten Anmeldenachweis den Token-Endpunkt des Mandanten, an den die Anfrage ging. Prüfen Sie die Verzeichnis-ID (Mandant) und verwenden Sie die GUID aus Microsoft Entra Admin Center › App-Registrierungen › (Ihre App) › Übersicht. Bleibt der Fehler, liegt ein Proxy oder eine Umleitung zwischen Absender und login.microsoftonline.com.',
  },
  'aad-assertion-issuer': {
    title: 'Der Anmeldenachweis gehört zu einer anderen App',
    advice:
      'Aussteller und Betreff des signierten Anmeldenachweises müssen die Anwendungs-ID (Client) sein, mit der angefragt wurde. Prüfen Sie die Anwendungs-ID (Client) des Profils gegen Microsoft Entra Admin Center › App-Registrierungen › (Ihre App) › Übersicht.',
  },
  'aad-app-not-found': {
    title: 'Die App wurde im Mandanten nicht gefunden',
    advice:
      'Entra findet die Anwendungs-ID (Client) {{clientId}} im Mandanten {{tenant}} nicht. Entweder ist die Anwendungs-ID falsch, oder die App ist in einem anderen Mandanten registriert. Vergleichen Sie beide Werte mit Microsoft Entra Admin Center › App-Registrierungen › (Ihre App) › Übersicht: „Anwendungs-ID (Client)“ und „Verzeichnis-ID (Mandant)“. Wurde die App gerade erst angelegt, warten Sie einige Minuten.',
  },
  'aad-tenant-not-found': {
    title: 'Der Mandant existiert nicht',
    advice:
      'Die Verzeichnis-ID (Mandant) „{{tenant}}“ ist unbekannt. Kopieren Sie sie aus Microsoft Entra Admin Center › Übersicht › „Mandanten-ID“ (GUID) oder verwenden Sie eine verifizierte Domäne (z. B. contoso.onmicrosoft.com). Gehört der Mandant zu einer nationalen Cloud (z. B. GCC High, China), muss auch die Cloud im Profil passen.',
  },
  'aad-missing-parameter': {
    title: 'Der Anmeldeanfrage fehlt eine Angabe',
    advice:
      'Entra vermisst einen Pflichtparameter (siehe Details). Prüfen Sie, ob alle Felder des Profils ausgefüllt sind, insbesondere der geheime Clientschlüssel. Besteht der Fehler weiter, senden Sie die Details an den Support.',
  },
  'aad-invalid-scope': {
    title: 'Die angeforderte Berechtigung ist ungültig',
    advice: `Entra lehnt den angeforderten Bereich (Scope) ab. Prüfen Sie unter ${APP_DE} › API-Berechtigungen, ob Microsoft Graph mit „Mail.Send“ eingetragen ist und die Cloud des Profils zum Mandanten passt.`,
  },
  'aad-scope-not-default': {
    title: 'Der Bereich muss auf „/.default“ enden',
    advice:
      'Beim Verfahren mit geheimem Clientschlüssel fordert die Anwendung immer „https://graph.microsoft.com/.default“ an; die einzelnen Berechtigungen werden in Entra erteilt. Dies ist ein Fehler in Absender – bitte senden Sie die Details an den Support.',
  },
  'aad-consent-missing': {
    title: 'Die Zustimmung für die App fehlt',
    advice: `Ein Administrator muss den Berechtigungen zustimmen: ${APP_DE} › API-Berechtigungen › „Administratorzustimmung für (Ihr Mandant) erteilen“. Prüfen Sie, ob in der Spalte „Status“ überall „Gewährt“ steht, und klicken Sie danach erneut auf „Authentifizieren“.`,
  },
  'aad-consent-declined': {
    title: 'Die Zustimmung wurde abgelehnt',
    advice:
      'Bei der Anmeldung wurde „Abbrechen“ gewählt, statt den Berechtigungen zuzustimmen. Klicken Sie erneut auf „Authentifizieren“ und stimmen Sie zu – oder lassen Sie einen Administrator unter API-Berechtigungen die Administratorzustimmung erteilen.',
  },
  'aad-redirect-uri-mismatch': {
    title: 'Die Umleitungs-URI ist in der App nicht eingetragen',
    advice: `Tragen Sie genau diese URI ein: ${APP_DE} › Authentifizierung › Plattform hinzufügen › „Mobile Anwendungen und Desktopanwendungen“ › benutzerdefinierte Umleitungs-URI: {{redirectUri}} – dann „Konfigurieren“ bzw. „Speichern“ und erneut authentifizieren.`,
  },
  'aad-public-client-not-allowed': {
    title: 'Entra verlangt einen geheimen Clientschlüssel',
    advice: `Die App ist für die Anmeldung mit Modern Authentication nicht als öffentlicher Client eingerichtet. Unter ${APP_DE} › Authentifizierung: 1. die Umleitungs-URIs unter „Mobile Anwendungen und Desktopanwendungen“ eintragen (nicht unter „Web“), 2. unter „Erweiterte Einstellungen“ „Öffentliche Clientflows zulassen“ auf „Ja“ stellen, 3. speichern und erneut authentifizieren. Für ein Profil mit geheimem Clientschlüssel: den Schlüssel eingeben.`,
  },
  'aad-public-client-sent-secret': {
    title: 'Die App ist als öffentlicher Client eingerichtet',
    advice: `Entra erwartet für diese App keinen geheimen Clientschlüssel. Verwenden Sie für diese App den Kontotyp „Modern Authentication“, oder legen Sie für den Versand mit geheimem Clientschlüssel eine eigene App-Registrierung an (${APP_DE} › Authentifizierung: „Öffentliche Clientflows zulassen“ auf „Nein“).`,
  },
  'aad-wrong-password': {
    title: 'Benutzername oder Kennwort ist falsch',
    advice:
      'Melden Sie sich erneut an und prüfen Sie das Kennwort des Versandkontos. Nach mehreren Fehlversuchen sperrt Entra das Konto vorübergehend.',
  },
  'aad-mfa-required': {
    title: 'Mehrstufige Authentifizierung erforderlich',
    advice:
      'Eine Richtlinie verlangt für dieses Konto eine zweite Bestätigung. Klicken Sie auf „Authentifizieren“ und schließen Sie die Anmeldung einschließlich der MFA-Bestätigung ab.',
  },
  'aad-mfa-registration-required': {
    title: 'Das Konto muss MFA erst einrichten',
    advice:
      'Das Versandkonto hat noch keine Methode für die mehrstufige Authentifizierung registriert. Klicken Sie auf „Authentifizieren“ und folgen Sie der Einrichtung, oder richten Sie die Methode unter https://aka.ms/mysecurityinfo ein.',
  },
  'aad-conditional-access': {
    title: 'Vom bedingten Zugriff blockiert',
    advice:
      'Eine Richtlinie für bedingten Zugriff verhindert die Anmeldung (z. B. nur verwaltete Geräte, bestimmte Standorte). Der Grund steht in Microsoft Entra Admin Center › Überwachung › Anmeldeprotokolle (nach der Korrelations-ID suchen) › Bedingter Zugriff. Verlangt die Richtlinie ein verwaltetes Gerät, melden Sie sich im Systembrowser an statt im eingebetteten Fenster; für den Versand mit geheimem Clientschlüssel muss die Richtlinie die App (Workload-Identität) ausnehmen.',
  },
  'aad-refresh-token-inactive': {
    title: 'Die Anmeldung ist wegen Inaktivität abgelaufen',
    advice:
      'Das Profil wurde 90 Tage lang nicht verwendet; Entra hat die gespeicherte Anmeldung verworfen. Klicken Sie auf „Authentifizieren“ und melden Sie sich mit dem Versandkonto neu an. Unbeaufsichtigte Stapelverarbeitung: mindestens einmal alle 90 Tage senden oder den Kontotyp mit geheimem Clientschlüssel verwenden.',
  },
  'aad-grant-revoked': {
    title: 'Die Anmeldung wurde widerrufen',
    advice:
      'Das Kennwort des Versandkontos wurde geändert oder ein Administrator hat die Sitzungen widerrufen. Klicken Sie auf „Authentifizieren“ und melden Sie sich mit dem Versandkonto neu an.',
  },
  'aad-grant-expired': {
    title: 'Die Anmeldung ist abgelaufen',
    advice:
      'Eine Richtlinie (z. B. Anmeldehäufigkeit im bedingten Zugriff) oder die Lebensdauer der Anmeldung erzwingt eine neue Anmeldung. Klicken Sie auf „Authentifizieren“ und melden Sie sich erneut an.',
  },
  'aad-user-not-found': {
    title: 'Das Benutzerkonto existiert in diesem Mandanten nicht',
    advice:
      'Prüfen Sie die Schreibweise der Adresse und die Verzeichnis-ID (Mandant). Melden Sie sich mit dem Versandkonto der Organisation an, die die App registriert hat.',
  },
  'aad-user-disabled': {
    title: 'Das Benutzerkonto ist deaktiviert',
    advice:
      'Ein Administrator muss das Versandkonto wieder aktivieren: Microsoft Entra Admin Center › Benutzer › (Konto) › Eigenschaften › „Konto aktiviert“.',
  },
  'aad-account-locked': {
    title: 'Das Konto ist gesperrt',
    advice:
      'Nach zu vielen Fehlversuchen oder verdächtigen Anmeldungen hat Entra das Konto gesperrt. Warten Sie einige Minuten oder lassen Sie einen Administrator das Konto entsperren und das Kennwort zurücksetzen.',
  },
  'aad-password-expired': {
    title: 'Das Kennwort ist abgelaufen',
    advice:
      'Klicken Sie auf „Authentifizieren“, vergeben Sie bei der Anmeldung ein neues Kennwort und schließen Sie die Anmeldung ab.',
  },
  'aad-user-foreign-tenant': {
    title: 'Das Konto gehört nicht zu diesem Mandanten',
    advice:
      'Angemeldet wurde ein Konto aus einem anderen Mandanten oder ein privates Microsoft-Konto. Melden Sie sich nur mit dem Versandkonto Ihrer Organisation an – nie mit einem persönlichen Postfach.',
  },
  'aad-single-tenant-common': {
    title: 'Die App ist nur für einen Mandanten freigegeben',
    advice:
      'Tragen Sie als Verzeichnis-ID (Mandant) die GUID oder Domäne Ihres Mandanten ein, nicht „common“ oder „organizations“.',
  },
  'aad-code-redeemed': {
    title: 'Der Anmeldecode wurde bereits verwendet',
    advice: 'Der Code aus der Anmeldung gilt nur einmal. Klicken Sie erneut auf „Authentifizieren“.',
  },
  'aad-pkce-mismatch': {
    title: 'Die Anmeldung konnte nicht bestätigt werden (PKCE)',
    advice:
      'Der Prüfwert der Anmeldung passte nicht (z. B. zwei Anmeldefenster gleichzeitig). Schließen Sie andere Anmeldefenster und klicken Sie erneut auf „Authentifizieren“.',
  },
  'aad-resource-not-found': {
    title: 'Microsoft Graph ist im Mandanten nicht verfügbar',
    advice:
      'Entra findet die Ressource Microsoft Graph im Mandanten nicht – meist passt die Cloud des Profils nicht zum Mandanten. Prüfen Sie die Cloud und die Verzeichnis-ID (Mandant).',
  },
  'aad-cross-cloud': {
    title: 'Der Mandant gehört zu einer anderen Microsoft-Cloud',
    advice:
      'Der Mandant liegt in einer nationalen Cloud (z. B. GCC High oder DoD). Wählen Sie im Profil diese Cloud und verwenden Sie eine App, die in dieser Cloud registriert ist.',
  },
  'aad-cloud-mismatch': {
    title: 'Der Mandant liegt in einer anderen Cloud als das Profil',
    advice:
      'Der Mandant „{{tenant}}“ gehört zur Cloud {{tenantCloud}}, das Profil ist auf {{profileCloud}} eingestellt – jede Cloud hat eigene Anmeldedienste und kennt nur ihre eigenen Mandanten. Wählen Sie im Profil unter „Cloudumgebung“ {{tenantCloud}} und verwenden Sie die Anwendungs-ID (Client) und den geheimen Clientschlüssel einer App, die im Portal dieser Cloud registriert ist.',
  },
  'oauth-invalid-client': {
    title: 'Die App-Anmeldedaten wurden abgelehnt',
    advice: `Prüfen Sie die Anwendungs-ID (Client) und den geheimen Clientschlüssel unter ${APP_DE} › Übersicht bzw. › Zertifikate & Geheimnisse. Fügen Sie beim Schlüssel den „Wert“ ein, nicht die „Geheime ID“.`,
  },
  'oauth-invalid-grant': {
    title: 'Die Anmeldung ist nicht mehr gültig',
    advice:
      'Entra akzeptiert die gespeicherte Anmeldung nicht mehr (abgelaufen, widerrufen oder zurückgesetzt). Klicken Sie auf „Authentifizieren“ und melden Sie sich mit dem Versandkonto neu an.',
  },
  'oauth-unauthorized-client': {
    title: 'Die App darf sich so nicht anmelden',
    advice: `Prüfen Sie die Anwendungs-ID (Client) und die Verzeichnis-ID (Mandant) unter ${APP_DE} › Übersicht sowie unter › Authentifizierung, ob die Plattform „Mobile Anwendungen und Desktopanwendungen“ (Modern Authentication) eingerichtet ist.`,
  },
  'oauth-invalid-request': {
    title: 'Entra hat die Anmeldeanfrage abgelehnt',
    advice:
      'Prüfen Sie Anwendungs-ID (Client), Verzeichnis-ID (Mandant) und Cloud des Profils. Die Details nennen den genauen Grund; senden Sie sie bei Bedarf an den Support.',
  },
  'oauth-invalid-scope': {
    title: 'Die angeforderte Berechtigung ist ungültig',
    advice: `Prüfen Sie unter ${APP_DE} › API-Berechtigungen, ob Microsoft Graph „Mail.Send“ eingetragen ist und die Cloud des Profils zum Mandanten passt.`,
  },
  'oauth-invalid-resource': {
    title: 'Die Ressource ist im Mandanten unbekannt',
    advice:
      'Entra kennt Microsoft Graph in diesem Mandanten nicht – meist passt die Cloud des Profils nicht. Prüfen Sie Cloud und Verzeichnis-ID (Mandant).',
  },
  'oauth-access-denied': {
    title: 'Der Zugriff wurde verweigert',
    advice:
      'Die Anmeldung wurde abgebrochen oder die Zustimmung verweigert. Klicken Sie erneut auf „Authentifizieren“; fehlt die Zustimmung, lassen Sie einen Administrator unter API-Berechtigungen die Administratorzustimmung erteilen.',
  },
  'oauth-interaction-required': {
    title: 'Eine erneute Anmeldung ist erforderlich',
    advice:
      'Entra verlangt eine Eingabe des Benutzers (z. B. MFA, Nutzungsbedingungen). Klicken Sie auf „Authentifizieren“ und schließen Sie die Anmeldung ab.',
  },
  'oauth-consent-required': {
    title: 'Die Zustimmung für die App fehlt',
    advice: `Erteilen Sie die Zustimmung: ${APP_DE} › API-Berechtigungen › „Administratorzustimmung für (Ihr Mandant) erteilen“, und klicken Sie dann erneut auf „Authentifizieren“.`,
  },
  'oauth-login-required': {
    title: 'Nicht angemeldet',
    advice:
      'Für dieses Profil besteht keine Anmeldung. Klicken Sie auf „Authentifizieren“ und melden Sie sich mit dem Versandkonto an.',
  },
  'oauth-temporarily-unavailable': {
    title: 'Der Anmeldedienst ist vorübergehend ausgelastet',
    advice:
      'Entra bittet, es später erneut zu versuchen. Testen Sie in einigen Minuten noch einmal; wiederholte schnelle Versuche verlängern die Sperre.',
  },
  'oauth-server-error': {
    title: 'Störung beim Anmeldedienst',
    advice:
      'Entra hat einen internen Fehler gemeldet. Testen Sie in einigen Minuten erneut und prüfen Sie bei anhaltenden Problemen den Dienststatus im Microsoft 365 Admin Center (Integrität › Dienstintegrität).',
  },
  'graph-access-denied': {
    title: 'Zugriff auf das Postfach verweigert',
    advice:
      'Der App fehlt für dieses Postfach das Recht zu senden. Prüfen Sie: 1. bei RBAC für Anwendungen in Exchange Online (der empfohlene Weg für einen geheimen Clientschlüssel): eine Rollenzuweisung „Application Mail.Send“ (New-ManagementRoleAssignment), deren Verwaltungsbereich (New-ManagementScope) dieses Postfach enthält – prüfen mit Test-ServicePrincipalAuthorization; 2. sonst Entra › App-Registrierungen › (Ihre App) › API-Berechtigungen: Microsoft Graph „Mail.Send“ (Anwendung, für geheimen Clientschlüssel) bzw. (Delegiert, für Modern Authentication) mit erteilter Administratorzustimmung. Änderungen wirken erst nach 30 Minuten bis 2 Stunden.',
  },
  'graph-mailbox-not-allowed': {
    title: 'Die App darf dieses Postfach nicht verwenden',
    advice:
      'Exchange Online beschränkt die App auf andere Postfächer. Nehmen Sie dieses Postfach in den Bereich auf: bei RBAC für Anwendungen in den Verwaltungsbereich (New-ManagementScope) der Rollenzuweisung „Application Mail.Send“ (New-ManagementRoleAssignment), prüfen mit Test-ServicePrincipalAuthorization. Nur in älteren Umgebungen mit einer Anwendungszugriffsrichtlinie (von Microsoft als veraltet eingestuft, besser auf RBAC für Anwendungen umstellen): in die E-Mail-aktivierte Sicherheitsgruppe der Richtlinie, prüfen mit Test-ApplicationAccessPolicy. Änderungen wirken erst nach 30 Minuten bis 2 Stunden.',
  },
  'graph-mailbox-read-not-checked': {
    title: 'Postfach ohne Testnachricht nicht geprüft',
    advice:
      'Die App hat nur „Mail.Send“ und darf das Postfach deshalb nicht lesen – das ist richtig so und kein Fehler. Ob der Versand funktioniert, zeigt erst eine Testnachricht.',
  },
  'graph-insufficient-privileges': {
    title: 'Unzureichende Berechtigungen',
    advice:
      'Microsoft Graph verweigert diese Abfrage, weil der App die nötige Berechtigung fehlt. Für den Versand genügt „Mail.Send“; diese Meldung betrifft nur eine Zusatzprüfung.',
  },
  'graph-invalid-user': {
    title: 'Das Postfach ist unbekannt',
    advice:
      'Microsoft Graph kennt „{{mailbox}}“ nicht als Postfach. Prüfen Sie die Schreibweise der E-Mail-Adresse im Profil und ob das Postfach im Microsoft 365 Admin Center existiert.',
  },
  'graph-resource-not-found': {
    title: 'Das Postfach wurde nicht gefunden',
    advice:
      'Prüfen Sie die E-Mail-Adresse im Profil. Gibt es das Konto, hat es eventuell (noch) kein Exchange-Online-Postfach: eine Lizenz mit Exchange Online zuweisen und einige Minuten warten.',
  },
  'graph-mailbox-not-enabled': {
    title: 'Das Postfach ist nicht in Exchange Online erreichbar',
    advice:
      'Das Postfach ist inaktiv, gelöscht, nicht lizenziert oder liegt auf einem lokalen Exchange-Server. Weisen Sie dem Konto eine Lizenz mit Exchange Online zu (Microsoft 365 Admin Center › Benutzer › Aktive Benutzer › Lizenzen und Apps) bzw. migrieren Sie das Postfach nach Exchange Online.',
  },
  'graph-send-as-denied': {
    title: 'Keine Berechtigung „Senden als“',
    advice:
      'Die Sender-Adresse unterscheidet sich vom Postfach, und das Postfach darf nicht in ihrem Namen senden. Erteilen Sie im Exchange Admin Center › Empfänger › Postfächer › (Sender-Adresse) › Delegierung die Berechtigung „Senden als“ für das Postfach – oder verwenden Sie dieselbe Adresse für beides.',
  },
  'graph-token-invalid': {
    title: 'Das Zugriffstoken wurde abgelehnt',
    advice:
      'Microsoft Graph akzeptiert das Token nicht (abgelaufen, für eine andere Ressource oder Cloud ausgestellt, oder widerrufen). Testen Sie erneut; bei Modern Authentication klicken Sie auf „Authentifizieren“. Prüfen Sie auch die Cloud des Profils.',
  },
  'graph-bad-message': {
    title: 'Die Nachricht wurde als ungültig abgelehnt',
    advice:
      'Exchange hat die Nachricht nicht angenommen, z. B. wegen einer ungültigen Empfängeradresse oder einer fehlerhaften Anlage. Prüfen Sie die Empfänger der Testnachricht; die Details nennen den genauen Grund.',
  },
  'graph-submission-blocked': {
    title: 'Das Postfach darf derzeit nicht senden',
    advice:
      'Exchange Online hat den Versand für dieses Postfach gesperrt (z. B. wegen Spamverdachts). Prüfen Sie im Microsoft Defender-Portal › E-Mail und Zusammenarbeit › Überprüfung › „Eingeschränkte Entitäten“ und geben Sie das Postfach frei.',
  },
  'graph-message-limit': {
    title: 'Das Sendelimit ist erreicht',
    advice:
      'Das Postfach hat das Tageslimit für Nachrichten oder Empfänger von Exchange Online überschritten. Warten Sie bis zu 24 Stunden oder verteilen Sie den Versand auf mehrere Postfächer.',
  },
  'graph-request-too-large': {
    title: 'Die Anforderung ist zu groß für Microsoft Graph (über 4 MB)',
    advice:
      'Microsoft Graph nimmt höchstens 4 MB pro Anforderung an; es wurde nichts gesendet. Anlagen über 3 MB werden über eine Uploadsitzung in Teilen hochgeladen: Dafür braucht die App zusätzlich die Berechtigung Mail.ReadWrite (API-Berechtigungen › Berechtigung hinzufügen › Microsoft Graph › Mail.ReadWrite › Administratorzustimmung erteilen). Ein Nachrichtentext über 4 MB kann nicht gesendet werden: Senden Sie den Inhalt als Anlage.',
  },
  'graph-quota-exceeded': {
    title: 'Das Postfach ist voll',
    advice:
      'Exchange kann die Nachricht nicht im Postfach ablegen. Leeren Sie „Gesendete Elemente“ und „Gelöschte Elemente“ oder erhöhen Sie das Kontingent.',
  },
  'graph-throttled': {
    title: 'Zu viele Anfragen – Microsoft Graph drosselt',
    advice:
      'Microsoft Graph bittet, {{seconds}} Sekunden zu warten. Testen Sie danach erneut; laufen gleichzeitig Stapelaufträge über dieses Postfach, verteilen Sie sie zeitlich.',
  },
  'graph-throttled-unspecified': {
    title: 'Zu viele Anfragen – Microsoft Graph drosselt',
    advice:
      'Warten Sie einige Minuten und testen Sie erneut; laufen gleichzeitig Stapelaufträge über dieses Postfach, verteilen Sie sie zeitlich.',
  },
  'graph-unavailable': {
    title: 'Microsoft Graph ist vorübergehend nicht verfügbar',
    advice:
      'Testen Sie in einigen Minuten erneut. Dauert die Störung an, prüfen Sie die Dienstintegrität im Microsoft 365 Admin Center.',
  },
  'graph-send-outcome-unknown': {
    title: 'Unklar, ob die Nachricht gesendet wurde',
    advice:
      'Die Verbindung brach ab oder Microsoft Graph meldete eine Störung, nachdem die Nachricht übergeben war. Sie wurde möglicherweise trotzdem angenommen. Absender wiederholt den Versand deshalb nicht automatisch: Prüfen Sie zuerst „Gesendete Elemente“ des Postfachs, bevor Sie erneut senden.',
  },
  'graph-server-error': {
    title: 'Störung bei Microsoft Graph',
    advice:
      'Microsoft Graph hat einen internen Fehler gemeldet. Testen Sie in einigen Minuten erneut; halten Sie für den Support die Anforderungs-ID aus den Details bereit.',
  },
  'graph-unexpected-response': {
    title: 'Unerwartete Antwort statt Microsoft Graph',
    advice:
      'Die Antwort kam nicht im Format von Microsoft Graph – oft schiebt sich ein Proxy oder eine Firewall mit einer eigenen Seite dazwischen. Prüfen Sie, ob graph.microsoft.com ohne Anmeldung am Proxy erreichbar ist.',
  },
  'graph-request-failed': {
    title: 'Microsoft Graph hat die Anfrage abgelehnt',
    advice:
      'Die Details nennen Fehlercode und Grund. Prüfen Sie die Angaben des Profils und senden Sie die Details bei Bedarf an den Support.',
  },
  'probe-restricted': {
    title: 'Beschränkung wirkt: fremdes Postfach abgelehnt',
    advice: 'Die App durfte nicht über das zweite Postfach senden – so soll es sein.',
  },
  'probe-not-restricted': {
    title: 'Nicht beschränkt: die App kann über jedes Postfach senden',
    advice:
      'Die Testnachricht über ein fremdes Postfach wurde angenommen. Beschränken Sie die App auf das Versandpostfach mit RBAC für Anwendungen in Exchange Online (New-ManagementScope, New-ManagementRoleAssignment mit „Application Mail.Send“) und entfernen Sie danach die Anwendungsberechtigung „Mail.Send“ in Entra – solange sie mandantenweit erteilt ist, beschränkt der Bereich nichts. Anwendungszugriffsrichtlinien (New-ApplicationAccessPolicy) sind veraltet und nur noch in älteren Umgebungen anzutreffen. Änderungen wirken erst nach 30 Minuten bis 2 Stunden.',
  },
  'net-dns': {
    title: 'Der Servername {{host}} lässt sich nicht auflösen',
    advice:
      'Der Rechner findet den Server nicht (DNS). Prüfen Sie die Netzwerkverbindung und den DNS-Server; in Firmennetzen ggf. den Proxy. Mit „nslookup {{host}}“ können Sie die Namensauflösung prüfen.',
  },
  'net-refused': {
    title: 'Verbindung abgelehnt',
    advice:
      'Der Server oder eine Firewall hat die Verbindung abgewiesen. Prüfen Sie Firewall und Proxyeinstellungen; ausgehende HTTPS-Verbindungen (Port 443) zu Microsoft 365 müssen erlaubt sein.',
  },
  'net-reset': {
    title: 'Verbindung unterbrochen',
    advice:
      'Die Verbindung wurde unterwegs getrennt – oft durch einen Proxy, eine Firewall oder eine instabile Leitung. Testen Sie erneut; tritt es wiederholt auf, prüfen Sie Proxy und Firewall.',
  },
  'net-unreachable': {
    title: 'Netzwerk nicht erreichbar',
    advice: 'Der Rechner hat keine Route zum Server. Prüfen Sie die Netzwerkverbindung, VPN und Proxy.',
  },
  'net-timeout': {
    title: 'Keine Antwort von {{host}} nach {{seconds}} s',
    advice: 'Der Server hat nicht rechtzeitig geantwortet. Prüfen Sie Netzwerk, VPN und Proxy und testen Sie erneut.',
  },
  'net-timeout-generic': {
    title: 'Zeitüberschreitung – keine Antwort vom Server',
    advice: 'Der Server hat nicht rechtzeitig geantwortet. Prüfen Sie Netzwerk, VPN und Proxy und testen Sie erneut.',
  },
  'net-tls-untrusted': {
    title: 'Dem Zertifikat des Servers wird nicht vertraut',
    advice:
      'Meist prüft ein Firmen-Proxy den HTTPS-Verkehr (TLS-Inspektion) und legt ein eigenes Zertifikat vor. Lassen Sie die Microsoft-365-Adressen (login.microsoftonline.com, graph.microsoft.com) von der Inspektion ausnehmen, oder lassen Sie das Stammzertifikat des Proxys im Zertifikatspeicher des Betriebssystems unter „Vertrauenswürdige Stammzertifizierungsstellen“ installieren (Absender nutzt diesen Speicher wie der Browser).',
  },
  'net-tls-expired': {
    title: 'Das Zertifikat des Servers ist abgelaufen oder noch nicht gültig',
    advice:
      'Prüfen Sie zuerst Datum und Uhrzeit dieses Rechners. Stimmen sie, legt vermutlich ein Proxy ein veraltetes Zertifikat vor – wenden Sie sich an die Netzwerkadministration.',
  },
  'net-tls-hostname': {
    title: 'Das Zertifikat passt nicht zum Servernamen',
    advice:
      'Das vorgelegte Zertifikat gilt für einen anderen Namen – meist leitet ein Proxy oder ein DNS-Eintrag die Verbindung um. Wenden Sie sich an die Netzwerkadministration.',
  },
  'net-tls-other': {
    title: 'Sichere Verbindung (TLS) fehlgeschlagen',
    advice:
      'Der TLS-Verbindungsaufbau ist gescheitert, oft wegen eines Proxys oder einer Firewall mit TLS-Inspektion. Die Details nennen den genauen Fehler.',
  },
  'net-proxy': {
    title: 'Der Proxy hat die Verbindung verweigert',
    advice:
      'Der Proxyserver lässt die Verbindung nicht durch (z. B. Anmeldung am Proxy erforderlich). Lassen Sie login.microsoftonline.com und graph.microsoft.com am Proxy freigeben oder prüfen Sie die Proxyeinstellungen.',
  },
  'net-proxy-server': {
    title: 'Keine Verbindung über den Proxyserver {{proxy}}',
    advice:
      'Der Proxyserver {{proxy}} ist nicht erreichbar oder lässt die Verbindung zu {{host}} nicht durch. Prüfen Sie in den Einstellungen die Angabe „Proxyserver“ (Systemeinstellung, Kein Proxy oder Proxy-URL) und lassen Sie login.microsoftonline.com und graph.microsoft.com am Proxy freigeben.',
  },
  'net-failed': {
    title: 'Keine Verbindung zum Server',
    advice:
      'Der Server ist nicht erreichbar (Netzwerk, DNS, Firewall, Proxy oder Zertifikat). Prüfen Sie die Internetverbindung und ob login.microsoftonline.com und graph.microsoft.com erreichbar sind; die Details nennen die Ursache, soweit bekannt.',
  },
  'msal-missing-tenant': {
    title: 'Ein konkreter Mandant ist erforderlich',
    advice:
      'Mit geheimem Clientschlüssel ist „common“ oder „organizations“ nicht erlaubt. Tragen Sie die Verzeichnis-ID (Mandant) aus Entra › Übersicht ein (GUID oder z. B. contoso.onmicrosoft.com).',
  },
  'msal-endpoints-resolution': {
    title: 'Der Anmeldedienst ist nicht erreichbar',
    advice:
      'Die Adressen des Anmeldedienstes konnten nicht ermittelt werden (keine Verbindung, nicht vertrauenswürdiges Zertifikat oder unbekannte Anmeldeadresse). Prüfen Sie Netzwerk, Proxy und Cloud des Profils.',
  },
  'msal-throttled': {
    title: 'Anmeldung vorübergehend gesperrt – zu viele Versuche',
    advice:
      'Der Anmeldedienst hatte eben „zu viele Anfragen“ oder eine Störung gemeldet. Absender wiederholt dieselbe Anfrage deshalb eine Weile nicht (meist 60 Sekunden, höchstens 1 Stunde) und zeigt so lange die letzte Antwort. Warten Sie kurz und testen Sie dann erneut.',
  },
  'msal-invalid-response': {
    title: 'Unverständliche Antwort vom Anmeldedienst',
    advice:
      'Statt einer Antwort von Entra kam z. B. eine Fehlerseite eines Proxys oder Gateways. Testen Sie erneut; tritt es wiederholt auf, prüfen Sie Proxy und Firewall.',
  },
  'msal-state-mismatch': {
    title: 'Die Anmeldeantwort passt nicht zur Anfrage',
    advice:
      'Aus Sicherheitsgründen wurde die Antwort verworfen (z. B. ein altes Anmeldefenster). Schließen Sie alle Anmeldefenster und klicken Sie erneut auf „Authentifizieren“.',
  },
  'msal-nonce-mismatch': {
    title: 'Die Anmeldeantwort passt nicht zur Anfrage',
    advice: 'Das erhaltene Token gehört nicht zu dieser Anmeldung. Klicken Sie erneut auf „Authentifizieren“.',
  },
  'msal-no-account': {
    title: 'Nicht angemeldet',
    advice:
      'Für dieses Profil ist keine Anmeldung gespeichert. Klicken Sie auf „Authentifizieren“ und melden Sie sich mit dem Versandkonto an.',
  },
  'msal-configuration': {
    title: 'Die Anmeldeeinstellungen sind ungültig',
    advice:
      'Die Angaben des Profils ergeben keine gültige Anmeldeadresse. Prüfen Sie Verzeichnis-ID (Mandant), Anwendungs-ID (Client) und Cloud; die Details nennen den genauen Grund.',
  },
  'user-cancelled': {
    title: 'Abgebrochen',
    advice: 'Der Vorgang wurde abgebrochen, bevor er abgeschlossen war. Starten Sie ihn erneut, wenn Sie möchten.',
  },
  'auth-wrong-account': {
    title: 'Mit dem falschen Konto angemeldet',
    advice:
      'Angemeldet wurde {{account}}, dieses Profil sendet aber als {{mailbox}}. Melden Sie sich nie mit einem persönlichen Postfach an, sondern nur mit dem Konto, das für den Versand angelegt wurde: Klicken Sie auf „Authentifizieren“ und melden Sie sich mit {{mailbox}} an. Von dieser Anmeldung wurde nichts gespeichert.',
  },
  'signin-host-blocked': {
    title: 'Anmeldeseite blockiert: nicht freigegebener Server',
    advice:
      'Das Anmeldefenster sollte eine Seite auf {{host}} öffnen. Absender zeigt darin nur die Anmeldeseiten von Microsoft über https und die Server unter Einstellungen › „Zusätzliche Anmeldehosts (Verbund, z. B. AD FS)“. Ist {{host}} der Verbundserver Ihrer Organisation (AD FS, Okta, PingFederate), tragen Sie ihn dort ein und melden Sie sich erneut an; fragen Sie im Zweifel Ihre IT. Andernfalls geben Sie dort keine Anmeldedaten ein.',
  },
  unknown: {
    title: 'Unbekannter Fehler ({{code}})',
    advice:
      'Absender kennt diesen Fehler nicht. Kopieren Sie die Details (mit Korrelations-ID und Zeitstempel) und senden Sie sie an Ihren Support oder an den Microsoft-Support.',
  },
};

const en: Record<DiagnosticId, DiagnosticText> = {
  'aad-secret-invalid': {
    title: 'The client secret is wrong',
    advice: `Entra does not know this secret for the app. Create a new one: ${APP_EN} › Certificates & secrets › New client secret. Copy its Value right away (not the Secret ID), paste it here, save, then delete the old secret in Entra.`,
  },
  'aad-secret-id-pasted': {
    title: 'The Secret ID was pasted instead of the Value',
    advice: `The stored secret is GUID-shaped: that is the Secret ID, not the Value. Entra shows the Value only once, right after creation. Create a new one under ${APP_EN} › Certificates & secrets › New client secret, copy the Value column, paste it here, and delete the unused secret.`,
  },
  'aad-secret-expired': {
    title: 'The client secret has expired',
    advice: `Renew it in Entra: ${APP_EN} › Certificates & secrets › New client secret (24 months at most; under 12 recommended). Paste its Value (not the Secret ID) here, enter the new expiry date, save, then delete the expired secret.`,
  },
  'aad-secret-missing': {
    title: 'No client secret was sent',
    advice:
      'No client secret is stored for this profile, or it is empty. Paste the Value from Entra › Certificates & secrets and save.',
  },
  'aad-certificate-not-registered': {
    title: 'The certificate is not uploaded to the app',
    advice: `Entra knows no certificate with the SHA-256 thumbprint {{thumbprint}} for this app. Export the certificate here (.cer) and upload it: ${APP_EN} › Certificates & secrets › Certificates › Upload certificate. Entra then shows its upload date and thumbprint; compare it with the one shown here. Also check that the Application (client) ID and tenant belong to the app you uploaded it to.`,
  },
  'aad-certificate-expired': {
    title: 'The certificate uploaded to Entra has expired',
    advice: `Entra no longer accepts the certificate with the thumbprint {{thumbprint}} because it has expired. Create a new certificate here, upload it under ${APP_EN} › Certificates & secrets › Certificates › Upload certificate, test the connection, then remove the expired certificate in Entra.`,
  },
  'aad-certificate-signature-invalid': {
    title: 'The signature with the certificate is invalid',
    advice: `Entra has a certificate with this thumbprint, but the sign-in was not signed with its private key. Usually another certificate was uploaded in Entra or imported here. Compare the thumbprint under ${APP_EN} › Certificates & secrets › Certificates with the one shown here; otherwise upload the certificate exported here again.`,
  },
  'aad-certificate-missing': {
    title: 'No certificate is stored for this profile',
    advice:
      'Create a certificate here (recommended) or import a PFX or PEM file, save, and upload the certificate in Entra under Certificates & secrets › Certificates › Upload certificate.',
  },
  'aad-assertion-time-range': {
    title: "This computer's clock is wrong (sign-in proof not valid)",
    advice:
      'Entra refused the certificate-signed sign-in proof because by Microsoft\'s clock it was not yet or no longer valid. Set this computer\'s time automatically (Windows: Settings › Time & language › Date & time › "Set time automatically"; in a domain through the domain controller) and test again.',
  },
  'aad-assertion-audience': {
    title: 'The sign-in proof names another tenant',
    advice:
      'Entra expects the signed sign-in proof to name the token endpoint of the tenant the request went to. Check the Directory (tenant) ID and use the GUID from Microsoft Entra admin center › App registrations › (your app) › Overview. If the error stays, a proxy or redirect sits between Absender and login.microsoftonline.com.',
  },
  'aad-assertion-issuer': {
    title: 'The sign-in proof belongs to another app',
    advice:
      "The signed sign-in proof's issuer and subject must be the Application (client) ID the request used. Check the profile's Application (client) ID against Microsoft Entra admin center › App registrations › (your app) › Overview.",
  },
  'aad-app-not-found': {
    title: 'The app was not found in the tenant',
    advice:
      'Entra cannot find the Application (client) ID {{clientId}} in the tenant {{tenant}}. Either the application ID is wrong or the app is registered in another tenant. Compare both values with Microsoft Entra admin center › App registrations › (your app) › Overview: "Application (client) ID" and "Directory (tenant) ID". If the app was created just now, wait a few minutes.',
  },
  'aad-tenant-not-found': {
    title: 'The tenant does not exist',
    advice:
      'The Directory (tenant) ID "{{tenant}}" is unknown. Copy it from Microsoft Entra admin center › Overview › "Tenant ID" (a GUID) or use a verified domain (e.g. contoso.onmicrosoft.com). If the tenant is in a national cloud (e.g. GCC High, China), the profile\'s cloud must match too.',
  },
  'aad-missing-parameter': {
    title: 'The sign-in request is missing a value',
    advice:
      'Entra misses a required parameter (see details). Check that every field of the profile is filled in, especially the client secret. If the error persists, send the details to support.',
  },
  'aad-invalid-scope': {
    title: 'The requested permission is invalid',
    advice: `Entra rejects the requested scope. Check under ${APP_EN} › API permissions that Microsoft Graph "Mail.Send" is listed, and that the profile's cloud matches the tenant.`,
  },
  'aad-scope-not-default': {
    title: 'The scope must end in "/.default"',
    advice:
      'With a client secret the app always requests "https://graph.microsoft.com/.default"; the individual permissions are granted in Entra. This is a bug in Absender; please send the details to support.',
  },
  'aad-consent-missing': {
    title: 'Consent for the app is missing',
    advice: `An administrator must consent to the permissions: ${APP_EN} › API permissions › "Grant admin consent for (your tenant)". Check that the Status column says "Granted" everywhere, then click "Authenticate" again.`,
  },
  'aad-consent-declined': {
    title: 'Consent was declined',
    advice:
      'Cancel was chosen at sign-in instead of accepting the permissions. Click Authenticate again and accept, or have an administrator grant admin consent under API permissions.',
  },
  'aad-redirect-uri-mismatch': {
    title: 'The redirect URI is not registered for the app',
    advice: `Add exactly this URI: ${APP_EN} › Authentication › Add a platform › "Mobile and desktop applications" › Custom redirect URIs: {{redirectUri}}, then Configure (or Save) and authenticate again.`,
  },
  'aad-public-client-not-allowed': {
    title: 'Entra requires a client secret',
    advice: `The app is not set up as a public client for Modern Authentication. Under ${APP_EN} › Authentication: 1. register the redirect URIs under "Mobile and desktop applications" (not under "Web"), 2. under Advanced settings set "Allow public client flows" to Yes, 3. save and authenticate again. For a client-secret profile: enter the secret.`,
  },
  'aad-public-client-sent-secret': {
    title: 'The app is set up as a public client',
    advice: `Entra expects no client secret for this app. Use the Modern Authentication account type with it, or create a separate app registration for sending with a client secret (${APP_EN} › Authentication: "Allow public client flows" set to No).`,
  },
  'aad-wrong-password': {
    title: 'Wrong username or password',
    advice:
      "Sign in again and check the sending account's password. After several failed attempts Entra locks the account for a while.",
  },
  'aad-mfa-required': {
    title: 'Multifactor authentication required',
    advice:
      'A policy requires a second factor for this account. Click Authenticate and complete the sign-in including the MFA prompt.',
  },
  'aad-mfa-registration-required': {
    title: 'The account must register for MFA first',
    advice:
      'The sending account has no multifactor authentication method registered yet. Click Authenticate and follow the setup, or register a method at https://aka.ms/mysecurityinfo.',
  },
  'aad-conditional-access': {
    title: 'Blocked by Conditional Access',
    advice:
      'A Conditional Access policy blocks the sign-in (e.g. managed devices only, certain locations). The reason is in Microsoft Entra admin center › Monitoring › Sign-in logs (search for the correlation ID) › Conditional Access. If the policy requires a managed device, sign in in the system browser instead of the embedded window; for sending with a client secret the policy must exclude the app (workload identity).',
  },
  'aad-refresh-token-inactive': {
    title: 'The sign-in expired after inactivity',
    advice:
      'The profile was not used for 90 days, so Entra discarded the stored sign-in. Click Authenticate and sign in again with the sending account. For unattended batch jobs: send at least once every 90 days, or use the client-secret account type.',
  },
  'aad-grant-revoked': {
    title: 'The sign-in was revoked',
    advice:
      "The sending account's password was changed or an administrator revoked its sessions. Click Authenticate and sign in again with the sending account.",
  },
  'aad-grant-expired': {
    title: 'The sign-in has expired',
    advice:
      'A policy (e.g. Conditional Access sign-in frequency) or the sign-in lifetime requires a new sign-in. Click Authenticate and sign in again.',
  },
  'aad-user-not-found': {
    title: 'The user account does not exist in this tenant',
    advice:
      'Check the spelling of the address and the Directory (tenant) ID. Sign in with the sending account of the organization that registered the app.',
  },
  'aad-user-disabled': {
    title: 'The user account is disabled',
    advice:
      'An administrator must enable the sending account again: Microsoft Entra admin center › Users › (account) › Properties › "Account enabled".',
  },
  'aad-account-locked': {
    title: 'The account is locked',
    advice:
      'After too many failed or suspicious sign-ins Entra locked the account. Wait a few minutes, or have an administrator unlock it and reset the password.',
  },
  'aad-password-expired': {
    title: 'The password has expired',
    advice: 'Click Authenticate, set a new password when asked, and complete the sign-in.',
  },
  'aad-user-foreign-tenant': {
    title: 'The account does not belong to this tenant',
    advice:
      "An account from another tenant or a personal Microsoft account was used. Sign in only with your organization's sending account, never with a personal mailbox.",
  },
  'aad-single-tenant-common': {
    title: 'The app is for a single tenant only',
    advice: 'Enter your tenant\'s GUID or domain as Directory (tenant) ID, not "common" or "organizations".',
  },
  'aad-code-redeemed': {
    title: 'The sign-in code was already used',
    advice: 'The code from the sign-in is valid only once. Click Authenticate again.',
  },
  'aad-pkce-mismatch': {
    title: 'The sign-in could not be verified (PKCE)',
    advice:
      "The sign-in's proof value did not match (e.g. two sign-in windows at once). Close other sign-in windows and click Authenticate again.",
  },
  'aad-resource-not-found': {
    title: 'Microsoft Graph is not available in the tenant',
    advice:
      "Entra cannot find the Microsoft Graph resource in the tenant, usually because the profile's cloud does not match the tenant. Check the cloud and the Directory (tenant) ID.",
  },
  'aad-cross-cloud': {
    title: 'The tenant belongs to another Microsoft cloud',
    advice:
      'The tenant is in a national cloud (e.g. GCC High or DoD). Select that cloud in the profile and use an app registered in that cloud.',
  },
  'aad-cloud-mismatch': {
    title: 'The tenant is in another cloud than the profile',
    advice:
      'The tenant "{{tenant}}" belongs to the cloud {{tenantCloud}}, the profile is set to {{profileCloud}} – every cloud has its own sign-in service and knows only its own tenants. Select {{tenantCloud}} under "Cloud" in the profile and use the Application (client) ID and client secret of an app registered in that cloud\'s portal.',
  },
  'oauth-invalid-client': {
    title: "The app's credentials were rejected",
    advice: `Check the Application (client) ID and the client secret under ${APP_EN} › Overview and › Certificates & secrets. For the secret, paste the Value, not the Secret ID.`,
  },
  'oauth-invalid-grant': {
    title: 'The sign-in is no longer valid',
    advice:
      'Entra no longer accepts the stored sign-in (expired, revoked or reset). Click Authenticate and sign in again with the sending account.',
  },
  'oauth-unauthorized-client': {
    title: 'The app may not sign in this way',
    advice: `Check the Application (client) ID and the Directory (tenant) ID under ${APP_EN} › Overview, and under › Authentication that the "Mobile and desktop applications" platform is set up (Modern Authentication).`,
  },
  'oauth-invalid-request': {
    title: 'Entra rejected the sign-in request',
    advice:
      "Check the profile's Application (client) ID, Directory (tenant) ID and cloud. The details give the exact reason; send them to support if needed.",
  },
  'oauth-invalid-scope': {
    title: 'The requested permission is invalid',
    advice: `Check under ${APP_EN} › API permissions that Microsoft Graph "Mail.Send" is listed and that the profile's cloud matches the tenant.`,
  },
  'oauth-invalid-resource': {
    title: 'The resource is unknown in the tenant',
    advice:
      "Entra does not know Microsoft Graph in this tenant, usually because the profile's cloud does not match. Check the cloud and the Directory (tenant) ID.",
  },
  'oauth-access-denied': {
    title: 'Access was denied',
    advice:
      'The sign-in was cancelled or consent was refused. Click Authenticate again; if consent is missing, grant it as an administrator under API permissions.',
  },
  'oauth-interaction-required': {
    title: 'A new sign-in is required',
    advice: 'Entra needs the user to act (e.g. MFA, terms of use). Click Authenticate and complete the sign-in.',
  },
  'oauth-consent-required': {
    title: 'Consent for the app is missing',
    advice: `Grant consent: ${APP_EN} › API permissions › "Grant admin consent for (your tenant)", then click Authenticate again.`,
  },
  'oauth-login-required': {
    title: 'Not signed in',
    advice: 'There is no sign-in for this profile. Click Authenticate and sign in with the sending account.',
  },
  'oauth-temporarily-unavailable': {
    title: 'The sign-in service is temporarily busy',
    advice: 'Entra asks to try again later. Test again in a few minutes; rapid repeated attempts extend the block.',
  },
  'oauth-server-error': {
    title: 'Sign-in service failure',
    advice:
      'Entra reported an internal error. Test again in a few minutes and, if it persists, check the service status in the Microsoft 365 admin center (Health › Service health).',
  },
  'graph-access-denied': {
    title: 'Access to the mailbox denied',
    advice:
      'The app lacks the right to send for this mailbox. Check: 1. with RBAC for Applications in Exchange Online (the recommended way for a client secret): a role assignment "Application Mail.Send" (New-ManagementRoleAssignment) whose management scope (New-ManagementScope) includes this mailbox – check with Test-ServicePrincipalAuthorization; 2. otherwise Entra › App registrations › (your app) › API permissions: Microsoft Graph "Mail.Send" (Application, for a client secret; Delegated, for Modern Authentication) with admin consent granted. Changes take 30 minutes to 2 hours to apply.',
  },
  'graph-mailbox-not-allowed': {
    title: 'The app may not use this mailbox',
    advice:
      'Exchange Online restricts the app to other mailboxes. Bring this mailbox into scope: with RBAC for Applications, into the management scope (New-ManagementScope) of the "Application Mail.Send" role assignment (New-ManagementRoleAssignment), check with Test-ServicePrincipalAuthorization. Only in older setups with an application access policy (legacy per Microsoft; better move to RBAC for Applications): add it to the policy\'s mail-enabled security group, check with Test-ApplicationAccessPolicy. Changes take 30 minutes to 2 hours to apply.',
  },
  'graph-mailbox-read-not-checked': {
    title: 'Mailbox not checked without a test message',
    advice:
      'The app has only "Mail.Send" and therefore may not read the mailbox. That is correct and not a failure. Only a test message shows whether sending works.',
  },
  'graph-insufficient-privileges': {
    title: 'Insufficient privileges',
    advice:
      'Microsoft Graph refuses this query because the app lacks the permission for it. "Mail.Send" is enough for sending; this only affects an additional check.',
  },
  'graph-invalid-user': {
    title: 'The mailbox is unknown',
    advice:
      'Microsoft Graph does not know "{{mailbox}}" as a mailbox. Check the spelling of the profile\'s e-mail address and that the mailbox exists in the Microsoft 365 admin center.',
  },
  'graph-resource-not-found': {
    title: 'The mailbox was not found',
    advice:
      "Check the profile's e-mail address. If the account exists, it may have no Exchange Online mailbox (yet): assign a licence that includes Exchange Online and wait a few minutes.",
  },
  'graph-mailbox-not-enabled': {
    title: 'The mailbox is not reachable in Exchange Online',
    advice:
      'The mailbox is inactive, deleted, unlicensed or hosted on an on-premises Exchange server. Assign a licence that includes Exchange Online (Microsoft 365 admin center › Users › Active users › Licenses and apps) or migrate the mailbox to Exchange Online.',
  },
  'graph-send-as-denied': {
    title: 'No "Send As" permission',
    advice:
      'The sender address differs from the mailbox, and the mailbox may not send on its behalf. Grant the mailbox "Send As" in the Exchange admin center › Recipients › Mailboxes › (sender address) › Delegation, or use the same address for both.',
  },
  'graph-token-invalid': {
    title: 'The access token was rejected',
    advice:
      "Microsoft Graph does not accept the token (expired, issued for another resource or cloud, or revoked). Test again; with Modern Authentication click Authenticate. Also check the profile's cloud.",
  },
  'graph-bad-message': {
    title: 'The message was rejected as invalid',
    advice:
      "Exchange did not accept the message, e.g. because of an invalid recipient address or a malformed attachment. Check the test message's recipients; the details give the exact reason.",
  },
  'graph-submission-blocked': {
    title: 'The mailbox may not send at the moment',
    advice:
      'Exchange Online has blocked sending for this mailbox (e.g. suspected spam). Check Microsoft Defender portal › Email & collaboration › Review › Restricted entities and release the mailbox.',
  },
  'graph-message-limit': {
    title: 'The sending limit has been reached',
    advice:
      "The mailbox exceeded Exchange Online's daily message or recipient limit. Wait up to 24 hours or spread the sending over several mailboxes.",
  },
  'graph-request-too-large': {
    title: 'The request is too large for Microsoft Graph (over 4 MB)',
    advice:
      'Microsoft Graph takes at most 4 MB per request; nothing was sent. Attachments over 3 MB are uploaded in parts through an upload session, which needs the app to have Mail.ReadWrite as well (API permissions › Add a permission › Microsoft Graph › Mail.ReadWrite › Grant admin consent). A message text over 4 MB cannot be sent: send the content as an attachment.',
  },
  'graph-quota-exceeded': {
    title: 'The mailbox is full',
    advice: 'Exchange cannot store the message in the mailbox. Empty Sent Items and Deleted Items, or raise the quota.',
  },
  'graph-throttled': {
    title: 'Too many requests: Microsoft Graph is throttling',
    advice:
      'Microsoft Graph asks to wait {{seconds}} seconds. Test again after that; if batch jobs use this mailbox at the same time, spread them out.',
  },
  'graph-throttled-unspecified': {
    title: 'Too many requests: Microsoft Graph is throttling',
    advice: 'Wait a few minutes and test again; if batch jobs use this mailbox at the same time, spread them out.',
  },
  'graph-unavailable': {
    title: 'Microsoft Graph is temporarily unavailable',
    advice: 'Test again in a few minutes. If the outage continues, check Service health in the Microsoft 365 admin center.',
  },
  'graph-send-outcome-unknown': {
    title: 'Unclear whether the message was sent',
    advice:
      "The connection dropped or Microsoft Graph reported a failure after the message had been handed over. It may have been accepted anyway, so Absender does not resend it automatically: first check the mailbox's Sent Items before sending again.",
  },
  'graph-server-error': {
    title: 'Microsoft Graph failure',
    advice:
      'Microsoft Graph reported an internal error. Test again in a few minutes; keep the request ID from the details ready for support.',
  },
  'graph-unexpected-response': {
    title: 'Unexpected answer instead of Microsoft Graph',
    advice:
      "The answer was not in Microsoft Graph's format; often a proxy or firewall answers with its own page. Check that graph.microsoft.com is reachable without signing in to the proxy.",
  },
  'graph-request-failed': {
    title: 'Microsoft Graph rejected the request',
    advice: "The details give the error code and reason. Check the profile's values and send the details to support if needed.",
  },
  'probe-restricted': {
    title: 'Restriction works: other mailbox refused',
    advice: 'The app was not allowed to send from the second mailbox, as intended.',
  },
  'probe-not-restricted': {
    title: 'Not restricted: the app can send from any mailbox',
    advice:
      'The test message from another mailbox was accepted. Restrict the app to the sending mailbox with RBAC for Applications in Exchange Online (New-ManagementScope, New-ManagementRoleAssignment with "Application Mail.Send"), then remove the "Mail.Send" application permission in Entra – while it is granted tenant-wide, the scope restricts nothing. Application access policies (New-ApplicationAccessPolicy) are legacy and found only in older setups. Changes take 30 minutes to 2 hours to apply.',
  },
  'net-dns': {
    title: 'The server name {{host}} cannot be resolved',
    advice:
      'This computer cannot find the server (DNS). Check the network connection and the DNS server; in corporate networks also the proxy. "nslookup {{host}}" checks the name resolution.',
  },
  'net-refused': {
    title: 'Connection refused',
    advice:
      'The server or a firewall refused the connection. Check firewall and proxy settings; outgoing HTTPS (port 443) to Microsoft 365 must be allowed.',
  },
  'net-reset': {
    title: 'Connection interrupted',
    advice:
      'The connection was dropped on the way, often by a proxy, a firewall or an unstable line. Test again; if it keeps happening, check proxy and firewall.',
  },
  'net-unreachable': {
    title: 'Network unreachable',
    advice: 'This computer has no route to the server. Check the network connection, VPN and proxy.',
  },
  'net-timeout': {
    title: 'No answer from {{host}} after {{seconds}} s',
    advice: 'The server did not answer in time. Check network, VPN and proxy, and test again.',
  },
  'net-timeout-generic': {
    title: 'Timed out: no answer from the server',
    advice: 'The server did not answer in time. Check network, VPN and proxy, and test again.',
  },
  'net-tls-untrusted': {
    title: "The server's certificate is not trusted",
    advice:
      'Usually a corporate proxy inspects HTTPS traffic (TLS inspection) and presents its own certificate. Have the Microsoft 365 addresses (login.microsoftonline.com, graph.microsoft.com) excluded from inspection, or have the proxy\'s root certificate installed in the operating system\'s certificate store under "Trusted Root Certification Authorities" (Absender uses that store, like the browser).',
  },
  'net-tls-expired': {
    title: "The server's certificate has expired or is not yet valid",
    advice:
      "First check this computer's date and time. If they are right, a proxy probably presents an outdated certificate; contact your network administrators.",
  },
  'net-tls-hostname': {
    title: "The certificate does not match the server's name",
    advice:
      'The certificate presented is for another name; usually a proxy or a DNS entry redirects the connection. Contact your network administrators.',
  },
  'net-tls-other': {
    title: 'Secure connection (TLS) failed',
    advice:
      'The TLS handshake failed, often because of a proxy or firewall doing TLS inspection. The details give the exact error.',
  },
  'net-proxy': {
    title: 'The proxy refused the connection',
    advice:
      'The proxy server does not let the connection through (e.g. proxy sign-in required). Have login.microsoftonline.com and graph.microsoft.com allowed on the proxy, or check the proxy settings.',
  },
  'net-proxy-server': {
    title: 'No connection through the proxy server {{proxy}}',
    advice:
      'The proxy server {{proxy}} cannot be reached or does not let the connection to {{host}} through. Check "Proxy server" in the settings (use system setting, no proxy or proxy URL), and have login.microsoftonline.com and graph.microsoft.com allowed on the proxy.',
  },
  'net-failed': {
    title: 'No connection to the server',
    advice:
      'The server cannot be reached (network, DNS, firewall, proxy or certificate). Check the internet connection and that login.microsoftonline.com and graph.microsoft.com are reachable; the details give the cause where known.',
  },
  'msal-missing-tenant': {
    title: 'A specific tenant is required',
    advice:
      '"common" or "organizations" cannot be used with a client secret. Enter the Directory (tenant) ID from Entra › Overview (a GUID or e.g. contoso.onmicrosoft.com).',
  },
  'msal-endpoints-resolution': {
    title: 'The sign-in service cannot be reached',
    advice:
      "The sign-in service's endpoints could not be determined (no connection, an untrusted certificate or an unknown sign-in address). Check network, proxy and the profile's cloud.",
  },
  'msal-throttled': {
    title: 'Sign-in temporarily blocked: too many attempts',
    advice:
      'The sign-in service just answered "too many requests" or reported a failure. Absender therefore does not repeat the same request for a while (usually 60 seconds, at most 1 hour) and shows the last answer meanwhile. Wait a moment, then test again.',
  },
  'msal-invalid-response': {
    title: 'Unreadable answer from the sign-in service',
    advice:
      "Instead of Entra's answer came e.g. an error page of a proxy or gateway. Test again; if it keeps happening, check proxy and firewall.",
  },
  'msal-state-mismatch': {
    title: 'The sign-in answer does not match the request',
    advice:
      'For security the answer was discarded (e.g. an old sign-in window). Close all sign-in windows and click Authenticate again.',
  },
  'msal-nonce-mismatch': {
    title: 'The sign-in answer does not match the request',
    advice: 'The token received does not belong to this sign-in. Click Authenticate again.',
  },
  'msal-no-account': {
    title: 'Not signed in',
    advice: 'No sign-in is stored for this profile. Click Authenticate and sign in with the sending account.',
  },
  'msal-configuration': {
    title: 'The sign-in settings are invalid',
    advice:
      "The profile's values do not form a valid sign-in address. Check the Directory (tenant) ID, Application (client) ID and cloud; the details give the exact reason.",
  },
  'user-cancelled': {
    title: 'Cancelled',
    advice: 'The operation was cancelled before it finished. Start it again if you like.',
  },
  'auth-wrong-account': {
    title: 'Signed in with the wrong account',
    advice:
      'You signed in as {{account}}, but this profile sends as {{mailbox}}. Never sign in with a personal mailbox, only with the account created for sending: click Authenticate and sign in with {{mailbox}}. Nothing from this sign-in was stored.',
  },
  'signin-host-blocked': {
    title: 'Sign-in page blocked: host not allowed',
    advice:
      'The sign-in window was about to open a page on {{host}}. Absender shows only Microsoft sign-in pages over https there, and the servers under Settings › "Additional sign-in hosts (federation, e.g. AD FS)". If {{host}} is your organization\'s federation server (AD FS, Okta, PingFederate), add it there and sign in again; ask your IT if in doubt. Otherwise do not enter any credentials there.',
  },
  unknown: {
    title: 'Unknown error ({{code}})',
    advice:
      'Absender does not know this error. Copy the details (with correlation ID and timestamp) and send them to your support or to Microsoft support.',
  },
};

export const diagnosticCatalogue: Record<DiagnosticLanguage, Record<DiagnosticId, DiagnosticText>> = { de, en };

/** The `{{param}}` names an entry's title and advice use (in the given language). */
export function diagnosticParamNames(id: DiagnosticId, language: DiagnosticLanguage = 'en'): string[] {
  const { title, advice } = diagnosticCatalogue[language][id];
  const names = new Set<string>();
  for (const m of `${title}\n${advice}`.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)) {
    if (m[1] !== undefined) names.add(m[1]);
  }
  return [...names].sort();
}
