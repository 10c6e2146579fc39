"""The chronology of a case: events, gaps and contradictions, pasted chats and tracking, the chart."""
