/**
 * Why a request nobody could run is not done, in words a person understands: it needs the internet (weather,
 * flights, prices, news, sending mail, ordering), or it would destroy everything (formatting a drive, deleting or
 * wiping everything), which is never done. Undefined for anything else, which keeps the plain "not sure" answer.
 */
export function refusalReason(text: string): string | undefined {
  const lower = text.toLowerCase().replace(/[’]/g, "'");
  const destroys = destructiveKinds.find(([pattern]) => pattern.test(lower));
  if (destroys !== undefined)
    return `That would ${destroys[1]}, which I never do. I changed nothing. Name the files or folder you mean instead.`;
  const online = onlineKinds.find(([pattern]) => pattern.test(lower));
  if (online !== undefined)
    return `That needs the internet (${online[1]}), and I work offline on this computer only, so I can't do that. I changed nothing.`;
  return undefined;
}

const everything = `(?:everything|all(?: of)? (?:my |the )?(?:files|data|stuff|things)|it all|my (?:whole |entire )?(?:computer|home|drive|disk|hard ?drive|system|pc|laptop)|the (?:whole |entire )?(?:computer|drive|disk|hard ?drive|system))`;

const destructiveKinds: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /\b(?:format|reformat|wipe|erase|zero(?: out)?|nuke|shred)\s+(?:my\s+|the\s+|this\s+|a\s+)?(?:whole\s+|entire\s+)?(?:hard ?drive|hard ?disk|disk|drive|ssd|partition|usb(?: stick| drive)?|computer|pc|laptop|system|machine)\b/,
    "erase a whole drive and everything on it",
  ],
  [/\bfactory reset\b|\breinstall (?:the )?(?:os|operating system|windows|linux)\b/, "erase this whole computer"],
  [
    new RegExp(
      String.raw`^(?:please\s+)?(?:delete|remove|erase|wipe|trash|destroy|get rid of|clear|clean out|nuke)\s+${everything}(?:\s+(?:now|please|for me|on (?:my|this|the) (?:computer|drive|disk|pc|laptop)))?[.!]*$`,
    ),
    "delete everything",
  ],
  [
    /\bchmod\b.*\b777\b.*\b(?:home|everything|all|whole|entire|~)|\b(?:give|make)\s+everyone\s+(?:full\s+)?(?:access|permission)s?\s+to\s+(?:everything|all|my (?:whole |entire )?(?:home|computer))/,
    "let everyone read and change every file you have",
  ],
];

const onlineKinds: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /\b(?:weather|forecast|rain|raining|snow|snowing|sunny|temperature outside|how (?:hot|cold|warm) (?:is it|will it be))\b/,
    "weather",
  ],
  [
    /\b(?:flights?|plane tickets?|train tickets?|book (?:me |us )?(?:a |an )?(?:table|hotel|room|ticket|taxi|cab|uber|trip|restaurant))\b/,
    "booking and travel",
  ],
  [
    /\b(?:bitcoin|btc|ethereum|crypto|stock|stocks|share price|exchange rate|euro to|dollar to|to dollars?\b|to euros?\b)|\bprice of\b/,
    "prices and exchange rates",
  ],
  [
    /\b(?:news|headlines?|trending|twitter|tweets?|instagram|facebook|tiktok|reddit|election|score|who won|who is winning)\b/,
    "news and what is happening out there",
  ],
  [/\btraffic\b/, "traffic"],
  [
    /^(?:send|write|text|message|email|mail|dm)\b.*\b(?:email|e-mail|mail|text|message|sms|whatsapp)\b|^(?:email|text|message|dm)\s+(?:my|the|to)\b/,
    "sending messages",
  ],
  [
    /^(?:order|buy|purchase|get)\s+(?:me\s+|us\s+)?(?:a|an|some|the)?\s*(?:large\s+|small\s+|medium\s+)?(?:pizza|food|takeaway|takeout|delivery|groceries|ticket|tickets|coffee|sushi|burger)|\border\b.*\b(?:pizza|food|delivery|online)\b/,
    "ordering",
  ],
  [
    /^(?:download|install)\s+(?:me\s+)?(?:the\s+)?(?:latest|newest|new)\b|\bdownload\b.*\bfrom the (?:internet|web)\b|\b(?:search|google|look up)\b.*\b(?:online|the web|the internet|google)\b/,
    "downloading from the web",
  ],
];
