// The progress page of a newsletter send: fetch its counts block every 2 s and put it in
// place, instead of reloading the whole admin page (which loses the reader's place). When
// the send's state changes (done, paused, cancelled), reload once: the status line and the
// buttons change too. Without JavaScript, a <noscript> meta refresh reloads the page.
(() => {
  const block = document.getElementById("send-progress");
  if (!block || !block.dataset.refreshUrl) {
    return;
  }
  const every = 2000;
  const refresh = async () => {
    try {
      const response = await fetch(block.dataset.refreshUrl, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (response.ok) {
        const holder = document.createElement("template");
        holder.innerHTML = await response.text();
        const counts = holder.content.querySelector(".send-progress-counts");
        // No counts (a login page after the session ended) or a new state: reload.
        if (!counts || counts.dataset.status !== block.dataset.status) {
          window.location.reload();
          return;
        }
        block.replaceChildren(counts);
      }
    } catch (error) {
      // The network or the server blinked: the next round tries again.
    }
    window.setTimeout(refresh, every);
  };
  window.setTimeout(refresh, every);
})();
