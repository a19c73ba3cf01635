/** "Download .ics", "Add to Google Calendar", "Add to Outlook" for one event. */
import { googleCalendarUrl, outlookCalendarUrl } from '../../src/domain/calendar.ts';
import type { CalendarEvent } from '../../src/domain/ics.ts';

export function CalendarLinks(props: { event: CalendarEvent; icsUrl: string; fileName?: string }) {
  return (
    <ul class="link-list" role="list">
      <li>
        <a href={props.icsUrl} download={props.fileName ?? 'meeting.ics'}>
          Download .ics
        </a>
      </li>
      <li>
        <a href={googleCalendarUrl(props.event)} target="_blank" rel="noopener noreferrer">
          Add to Google Calendar<span class="visually-hidden"> (opens in a new tab)</span>
        </a>
      </li>
      <li>
        <a href={outlookCalendarUrl(props.event)} target="_blank" rel="noopener noreferrer">
          Add to Outlook<span class="visually-hidden"> (opens in a new tab)</span>
        </a>
      </li>
    </ul>
  );
}
