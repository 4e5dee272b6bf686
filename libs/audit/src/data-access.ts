/**
 * The audit actions that show client data to someone (a POSIX regular expression for SQL): what the
 * who-saw-my-data report lists and the anomaly detector counts. Changes made by the file's own
 * organisation are in it too: they show the data to whoever makes them. A handover's conversation and a
 * document (its list, its download, its upload) are client data like a section.
 */
export const DATA_ACCESS = '^(client|trajectory)\\.|^(note|referral|document)\\.(read|list)$|^document\\.create$|^referral\\.thread-read$|^request\\.replay$';
