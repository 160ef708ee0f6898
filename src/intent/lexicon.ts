/** The kinds of file a request can name, and the words people use for them. */
export const kindWords: ReadonlyArray<readonly [kind: string, words: readonly string[]]> = [
  ["image", ["image", "images", "photo", "photos", "picture", "pictures", "pic", "pics", "screenshot", "screenshots", "jpegs", "pngs", "graphics", "wallpapers"]],
  ["video", ["video", "videos", "movie", "movies", "film", "films", "clip", "clips", "recording", "recordings"]],
  ["audio", ["audio", "song", "songs", "music", "track", "tracks", "sound", "sounds", "podcast", "podcasts", "recordings"]],
  ["document", ["document", "documents", "doc", "docs", "paper", "papers", "ebook", "ebooks"]],
  ["archive", ["archive", "archives", "zips", "tarball", "tarballs", "compressed"]],
  ["code", ["code", "source", "script", "scripts", "program", "programs", "sources"]],
  ["spreadsheet", ["spreadsheet", "spreadsheets", "sheet", "sheets", "workbook", "workbooks"]],
  ["presentation", ["presentation", "presentations", "slides", "slideshow", "slideshows", "deck", "decks"]],
  ["text", ["text", "texts", "txt"]],
];

/** Words that name a file type by its extension ("pdfs", "python files", "log files"). */
export const extensionWords = new Map<string, readonly string[]>(
  Object.entries({
    pdf: ["pdf"],
    pdfs: ["pdf"],
    python: ["py"],
    py: ["py"],
    javascript: ["js"],
    js: ["js"],
    typescript: ["ts"],
    ts: ["ts"],
    json: ["json"],
    yaml: ["yaml", "yml"],
    yml: ["yml"],
    toml: ["toml"],
    xml: ["xml"],
    csv: ["csv"],
    csvs: ["csv"],
    html: ["html"],
    css: ["css"],
    markdown: ["md"],
    md: ["md"],
    log: ["log"],
    logs: ["log"],
    zip: ["zip"],
    zips: ["zip"],
    tar: ["tar"],
    gz: ["gz"],
    rar: ["rar"],
    iso: ["iso"],
    isos: ["iso"],
    mp3: ["mp3"],
    mp3s: ["mp3"],
    mp4: ["mp4"],
    mp4s: ["mp4"],
    mkv: ["mkv"],
    wav: ["wav"],
    flac: ["flac"],
    jpg: ["jpg"],
    jpgs: ["jpg"],
    jpeg: ["jpeg", "jpg"],
    jpegs: ["jpeg", "jpg"],
    png: ["png"],
    pngs: ["png"],
    gif: ["gif"],
    gifs: ["gif"],
    svg: ["svg"],
    heic: ["heic"],
    docx: ["docx"],
    word: ["doc", "docx"],
    xlsx: ["xlsx"],
    excel: ["xls", "xlsx"],
    pptx: ["pptx"],
    powerpoint: ["ppt", "pptx"],
    txt: ["txt"],
    tmp: ["tmp"],
    temp: ["tmp"],
    bak: ["bak"],
    exe: ["exe"],
    dmg: ["dmg"],
    deb: ["deb"],
    sh: ["sh"],
    shell: ["sh"],
    c: ["c"],
    cpp: ["cpp"],
    java: ["java"],
    go: ["go"],
    rust: ["rs"],
    ruby: ["rb"],
    php: ["php"],
    sql: ["sql"],
    epub: ["epub"],
    torrent: ["torrent"],
    torrents: ["torrent"],
  }),
);

/** Well-known folders under HOME, by the words people use for them. */
export const homeFolders = new Map<string, string>(
  Object.entries({
    desktop: "Desktop",
    documents: "Documents",
    document: "Documents",
    downloads: "Downloads",
    download: "Downloads",
    music: "Music",
    movies: "Movies",
    pictures: "Pictures",
    photos: "Pictures",
    videos: "Videos",
  }),
);

/** Programs people name when they want one stopped or opened (lower case). */
export const programNames = new Set([
  "firefox", "chrome", "chromium", "google-chrome", "brave", "safari", "edge", "opera", "vivaldi", "thunderbird",
  "slack", "discord", "zoom", "teams", "skype", "telegram", "signal", "whatsapp", "spotify", "vlc", "mpv",
  "steam", "code", "vscode", "vim", "nvim", "emacs", "gedit", "nano", "libreoffice", "gimp", "inkscape", "blender",
  "obs", "audacity", "transmission", "qbittorrent", "dropbox", "nautilus", "dolphin", "thunar", "evince", "okular",
  "terminal", "konsole", "gnome-terminal", "xterm", "alacritty", "kitty", "calculator", "calendar", "settings",
  "node", "nodejs", "npm", "python", "python3", "java", "ruby", "perl", "php", "go", "deno", "bun", "dotnet",
  "nginx", "apache", "apache2", "httpd", "postgres", "postgresql", "mysql", "mysqld", "mariadb", "redis",
  "redis-server", "mongod", "mongodb", "docker", "dockerd", "containerd", "kubectl", "minikube", "jupyter",
  "webpack", "vite", "gunicorn", "uvicorn", "celery", "rabbitmq", "nats", "elasticsearch", "kafka", "sshd",
  "cron", "systemd", "pulseaudio", "pipewire", "xorg", "gnome-shell", "plasmashell", "electron", "tmux", "screen",
  "ollama", "llama", "rails", "django", "flask", "beam", "erlang", "elixir", "cargo", "rustc", "gcc", "make",
  "ffmpeg", "rsync", "wget", "curl", "ssh", "git", "top", "htop", "bash", "zsh", "fish", "sh", "chromedriver",
]);

/** Programs that are apps a person opens, not just processes (for "open X"). */
export const desktopApps = new Set([
  "firefox", "chrome", "chromium", "brave", "safari", "edge", "opera", "vivaldi", "thunderbird", "slack", "discord",
  "zoom", "teams", "skype", "telegram", "signal", "spotify", "vlc", "steam", "code", "vscode", "vs code", "gedit",
  "libreoffice", "gimp", "inkscape", "blender", "obs", "audacity", "nautilus", "dolphin", "thunar", "evince",
  "okular", "terminal", "the terminal", "konsole", "xterm", "alacritty", "kitty", "calculator", "calendar",
  "settings", "files", "file manager", "text editor", "editor", "browser", "web browser", "mail", "email",
]);

/**
 * Shell commands recognised when typed bare (`git status`, `df -h`). Words that are also
 * ordinary English verbs (find, sort, cat, kill, make, open, time, date, which, who) are left out:
 * those need "run", backticks, `$` or a flag to be read as a command.
 */
export const bareCommands = new Set([
  "ls", "ll", "la", "pwd", "df", "du", "git", "npm", "npx", "pnpm", "yarn", "node", "python", "python3", "pip",
  "pip3", "cargo", "rustc", "go", "gcc", "g++", "javac", "mvn", "gradle", "docker", "kubectl", "systemctl",
  "journalctl", "uname", "whoami", "hostname", "uptime", "ps", "htop", "lsof", "netstat", "ss", "ip", "ifconfig",
  "ping", "curl", "wget", "ssh", "scp", "rsync", "tar", "zip", "unzip", "gzip", "gunzip", "chmod", "chown", "mkdir",
  "rmdir", "rm", "mv", "cp", "ln", "grep", "rg", "fdfind", "fd", "awk", "sed", "jq", "wc", "echo", "printf", "env",
  "printenv", "export", "sudo", "apt", "apt-get", "dpkg", "snap", "flatpak", "brew", "dnf", "yum", "pacman",
  "make", "cmake", "tsc", "deno", "bun", "ruby", "perl", "php", "java", "dotnet", "lsblk", "blkid", "mount",
  "umount", "fdisk", "mkfs", "dd", "free", "nproc", "lscpu", "lsusb", "lspci", "dmesg", "id", "groups", "crontab",
  "tmux", "screen", "nvidia-smi", "vim", "nano", "code", "xdg-open", "stat", "file", "md5sum", "sha256sum",
  "base64", "xargs", "tee", "diff", "patch", "killall", "pkill", "pgrep", "nohup", "bash", "sh", "zsh", "tree",
]);

/** The words a typo is corrected to: the grammar's verbs and nouns ("serach" is "search"). */
export const typoTargets = new Set([
  "search", "locate", "delete", "remove", "organize", "arrange", "categorize", "duplicate", "duplicates",
  "identical", "rename", "remember", "remind", "reminder", "reminders", "schedule", "scheduled", "terminate",
  "execute", "process", "processes", "program", "programs", "folder", "folders", "directory", "directories",
  "documents", "downloads", "desktop", "pictures", "photos", "videos", "music", "movies", "memory", "battery",
  "storage", "network", "uptime", "system", "information", "contents", "containing", "modified", "larger",
  "bigger", "smaller", "older", "newer", "running", "listening", "yesterday", "today", "tomorrow", "minutes",
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "every", "please", "terminal",
  "firefox", "chrome", "python", "command", "biggest", "largest", "display", "create", "spreadsheets",
  "presentations", "images", "files", "notes", "usage", "processor", "operating", "between", "called", "named",
  "write", "rename", "remember", "list", "move", "copy", "read", "find", "open", "kill", "stop", "show", "sort", "undo",
]);

/**
 * Words typo correction leaves as typed: the targets themselves, and ordinary words one typo away
 * from them ("movie" is not "move", "remote" is not "remove", "beach" is not "reach").
 */
export const grammarWords = new Set([
  ...typoTargets,
  // verbs
  "list", "show", "display", "find", "search", "locate", "look", "where", "which", "read", "print", "open", "launch",
  "start", "write", "create", "make", "save", "move", "copy", "rename", "delete", "remove", "trash", "erase",
  "organize", "organized", "organizing", "sort", "sorted", "tidy", "arrange", "group", "categorize", "clean",
  "duplicate", "duplicates", "identical", "undo", "revert", "restore", "kill", "stop", "terminate", "close", "quit",
  "execute", "run", "remember", "recall", "note", "notes", "remind", "reminder", "reminders", "schedule",
  "scheduled", "schedules", "cancel", "hello", "help", "greetings", "morning", "evening", "afternoon",
  // nouns
  "file", "files", "folder", "folders", "directory", "directories", "contents", "content", "containing", "named",
  "called", "extension", "modified", "changed", "created", "larger", "bigger", "smaller", "greater", "older",
  "newer", "between", "process", "processes", "program", "programs", "running", "listening", "memory", "storage",
  "space", "battery", "network", "address", "uptime", "system", "information", "details", "graphics",
  "usage", "processor", "cores", "kernel", "operating", "desktop", "documents", "downloads", "music", "movies",
  "pictures", "photos", "videos", "images", "spreadsheets", "presentations", "archives", "yesterday", "today",
  "tomorrow", "minutes", "seconds", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  "weekday", "weekdays", "weekend", "weekends", "every", "hourly", "daily", "weekly", "monthly", "please",
  "terminal", "firefox", "chrome", "python", "command", "commands", "biggest", "largest", "taking", "eating",
  // ordinary words near the grammar's, kept as typed
  "movie", "mover", "moves", "moved", "remote", "removed", "removes", "delegate", "deleted", "deletes", "relate",
  "select", "selected", "copies", "copied", "shows", "showed", "finds", "found", "reads", "write", "wrote", "lists",
  "listed", "starts", "started", "stops", "stopped", "runs", "rename", "renamed", "sorts", "notes", "noted",
  "notice", "notion", "motion", "mode", "model", "models", "models", "filed", "fills", "filled", "folks", "holder",
  "older", "colder", "bolder", "order", "orders", "ordered", "search", "research", "reach", "teach",
  "there", "their", "these", "those", "where", "whose", "while", "white", "write", "quite", "quiet", "quote",
  "closer", "closet", "clean", "clear", "cleat", "steam", "stream", "dream", "drama", "karma", "camera", "memo",
  "memos", "member", "archive", "large", "small", "older", "smell", "bigger", "photo", "video", "picture", "image", "document", "download", "movie", "song",
  "program", "reminder", "minute", "lost", "loves", "lived", "fined", "fine", "kind", "mind", "wind", "bind",
  "reads", "ready", "stove", "shove", "love", "cove", "dove", "above", "copay", "coop", "coopy", "pill", "bill",
  "mill", "till", "will", "fill", "hill", "kiln", "stoop", "stomp", "shop", "shoe", "shot", "shut", "shoot",
  "short", "sport", "fort", "port", "soft", "sorry", "lint", "lost", "last", "lust", "mist", "fist", "gist",
  "undue", "undone", "opens", "oven", "omen", "pen", "opera", "spent", "moves", "mode", "more", "mole", "beach", "teach", "peach", "reach", "search", "starch", "torch", "members", "meeting", "meetings", "lights", "party", "parties", "stain", "plans", "plan",
  "marathon", "homework", "account", "accounts", "reminds", "reminded", "remembers", "recalls", "process",
  "cancer", "candle", "handle", "schedule", "kills", "killed", "skill", "skills", "still", "spill", "shell",
  "smell", "spell", "sell", "hell", "well", "tell", "yell", "bell", "dell", "cell", "fell", "delta", "deleted",
  "arrange", "arranged", "range", "change", "charge", "strange", "orange", "grange", "ranger", "manage",
]);
