import type { Notification, NotificationConstructorOptions } from 'electron';
import type { DesktopNotification, Notifier } from '../../core/ports';

/** What the adapter uses of Electron's Notification class (docs/api/notification.md), injectable for tests. */
export interface NotificationClass {
  new (options: NotificationConstructorOptions): Pick<Notification, 'show' | 'on'>;
  isSupported(): boolean;
}

/**
 * The core's notifier on Electron's Notification: the core decides what to say, this only shows it.
 * Shown notifications are held until closed or clicked: a garbage-collected one loses its click handler.
 */
export function electronNotifier(NotificationImpl: NotificationClass, onClick: (n: DesktopNotification) => void): Notifier {
  const shown = new Set<unknown>();
  return {
    notify: (notification) => {
      // No notification server (e.g. a Linux desktop without one): the list's badges still show it.
      if (!NotificationImpl.isSupported()) return;
      const native = new NotificationImpl({ title: notification.title, body: notification.body });
      shown.add(native);
      native.on('click', () => {
        shown.delete(native);
        onClick(notification);
      });
      native.on('close', () => shown.delete(native));
      native.show();
    },
  };
}
