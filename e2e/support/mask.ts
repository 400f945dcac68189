import type { Page } from '@playwright/test';

/** Fields are found by their accessible name, exactly as an admin (or a screen reader) sees them. */
export const field = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });
export const toolbarButton = (page: Page, name: string) => page.getByRole('toolbar').getByRole('button', { name, exact: true });
export const profileList = (page: Page, name: string) => page.getByRole('navigation', { name });

export interface MaskLabels {
  new: string;
  save: string;
  name: string;
  sender: string;
  mailbox: string;
  clientId: string;
  tenant: string;
  secret: string;
  expires: string;
  modernAuth: string;
}

export const LABELS: Record<'de' | 'en', MaskLabels> = {
  de: {
    new: 'Neu',
    save: 'Speichern',
    name: 'Bezeichnung',
    sender: 'Sender-Adresse',
    mailbox: 'E-Mail-Adresse',
    clientId: 'Anwendungs-ID (Client)',
    tenant: 'Verzeichnis-ID (Mandant)',
    secret: 'Geheimer Clientschlüssel',
    expires: 'Gültig bis',
    modernAuth: 'Exchange Online (Modern Authentication)',
  },
  en: {
    new: 'New',
    save: 'Save',
    name: 'Profile name',
    sender: 'Sender address',
    mailbox: 'Mailbox address',
    clientId: 'Application (client) ID',
    tenant: 'Directory (tenant) ID',
    secret: 'Client secret',
    expires: 'Expires',
    modernAuth: 'Exchange Online (Modern Authentication)',
  },
};
